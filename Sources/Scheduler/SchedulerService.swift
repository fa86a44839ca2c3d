import Dunning
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Store
import Synchronization

/// The scheduler as it runs in every `arrears serve`: one replica leads (it holds the advisory
/// lock) and reviews customers as they fall due; the others stand by and try for the lock every
/// poll interval, so when the leader dies another takes over within about one interval.
///
/// The leader reviews whatever is due, then sleeps until a customer is made due by a change to its
/// book (the triggers of 0005 notify `arrears_review`) or the poll interval passes, and checks that
/// it still holds the lock before every scan. "Now" comes from `clock`, so the whole system can run
/// at a simulated date.
public final class SchedulerService: Service, Sendable {
    public struct Configuration: Sendable {
        /// This replica's name, in logs, `pg_stat_activity` and every audit event's details.
        public var name: String
        /// How often the leader looks for due customers without being woken, and how often a
        /// standby tries for the lock.
        public var pollInterval: Duration = .seconds(2)
        /// How long a replica that lost the lock waits before trying again, so that a standby gets
        /// it rather than a leader whose connection is flapping.
        public var rejoinDelay: Duration = .seconds(6)
        /// How often the lag gauge is sampled, on every replica.
        public var lagSampleInterval: Duration = .seconds(15)
        public var reviewer = Reviewer.Configuration()

        public init(name: String = SchedulerService.defaultName) {
            self.name = name
        }
    }

    /// The channel the review triggers notify when they make a customer due.
    public static let channel = "arrears_review"

    public static var defaultName: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    public let configuration: Configuration
    private let pool: PostgresPool
    private let clock: any TimeSource
    private let logger: Logger
    private let reviewer: Reviewer
    private let lock: LeaderLock
    private let leading = Atomic(false)
    private let reviewed = Atomic(0)
    private let metrics = SchedulerMetrics()

    public init(pool: PostgresPool, clock: any TimeSource = SystemTimeSource(), configuration: Configuration,
                logger: Logger) {
        var reviewerConfiguration = configuration.reviewer
        reviewerConfiguration.schedulerName = configuration.name
        var withName = configuration
        withName.reviewer = reviewerConfiguration
        self.configuration = withName
        self.pool = pool
        self.clock = clock
        self.logger = logger
        reviewer = Reviewer(pool: pool, configuration: reviewerConfiguration, logger: logger)
        lock = LeaderLock(configuration: pool.configuration, applicationName: Self.lockSessionName(configuration.name))
    }

    /// Whether this replica holds the lock now.
    public var isLeader: Bool { leading.load(ordering: .relaxed) }

    /// Customers this replica has reviewed since it started.
    public var customersReviewed: Int { reviewed.load(ordering: .relaxed) }

    /// The `application_name` of the session that holds (or tries for) the lock.
    public static func lockSessionName(_ name: String) -> String {
        String("arrears scheduler \(name)".prefix(63))
    }

    /// Runs until cancelled or, under a service group, until graceful shutdown: a batch in flight is
    /// finished and the lock released at once.
    public func run() async throws {
        let sampler = LagSampler(pool: pool, store: reviewer.store, clock: clock, gauge: metrics.lag, logger: logger)
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await sampler.run(every: self.configuration.lagSampleInterval) }
                await self.campaign()
                group.cancelAll()
            }
        }
    }

    /// Stands by until the lock is free, leads until it is lost, and again, until cancelled.
    private func campaign() async {
        metrics.leader.record(0)
        while !Task.isCancelled {
            guard await lock.tryAcquire() else {
                try? await Task.sleep(for: configuration.pollInterval)
                continue
            }
            let lost = await lead()
            if lost {
                logger.warning("scheduler lost its leader lock; standing by", metadata: ["scheduler": "\(configuration.name)"])
                try? await Task.sleep(for: configuration.rejoinDelay)
            }
        }
        await lock.release()
    }

    /// Reviews due customers while the lock is held. Returns true if the lock was lost, false when
    /// cancelled.
    private func lead() async -> Bool {
        leading.store(true, ordering: .relaxed)
        metrics.leader.record(1)
        defer {
            leading.store(false, ordering: .relaxed)
            metrics.leader.record(0)
        }
        logger.info("scheduler is the leader", metadata: ["scheduler": "\(configuration.name)"])
        let wake = WakeSignal()
        let listener = PostgresListener(configuration: pool.configuration, channels: [Self.channel], logger: logger)
        // A (re)connected listener may have missed notifications: look at once.
        let forwarding = Task {
            for await _ in listener.events { wake.signal() }
        }
        defer {
            listener.stop()
            forwarding.cancel()
        }
        let lock = self.lock
        while !Task.isCancelled {
            guard await lock.isHeld() else { return true }
            do {
                let started = ContinuousClock.now
                let summary = try await reviewer.reviewDue(at: clock.now(), stillLeading: { await lock.isHeld() })
                reviewed.add(summary.customers, ordering: .relaxed)
                metrics.record(summary, duration: ContinuousClock.now - started)
                if summary.customers > 0 {
                    logger.info("reviewed due customers", metadata: [
                        "customers": "\(summary.customers)", "tasks": "\(summary.tasksEnqueued)",
                        "deduplicated": "\(summary.tasksDeduplicated)", "skipped": "\(summary.customersSkipped)",
                    ])
                }
            } catch {
                logger.error("review failed; retrying after the poll interval", metadata: ["error": "\(error)"])
            }
            await wake.wait(upTo: configuration.pollInterval)
        }
        return false
    }
}
