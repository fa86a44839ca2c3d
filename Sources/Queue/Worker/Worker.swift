import Dunning
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Claims tasks of its handlers' kinds and runs them concurrently, under swift-service-lifecycle.
///
/// One loop claims (woken by LISTEN/NOTIFY, by finished handlers, and every poll interval as
/// a fallback) and does housekeeping; another writes outcomes in batches and renews leases.
/// On graceful shutdown it stops claiming, lets running handlers finish within the grace
/// period, then cancels the rest and gives each task back as its handler returns (attempt not
/// counted); tasks whose handlers outlast a second, shorter grace are left to their leases.
public final class Worker: Service {
    public let configuration: WorkerConfiguration
    public let handlers: HandlerRegistry
    private let pool: PostgresPool
    private let clock: any TimeSource
    private let logger: Logger
    private let queue: TaskQueue
    private let kinds: [String]
    private let claimConnection: SessionConnection
    private let reporter: OutcomeReporter
    private let inFlight = InFlight()
    private let claimBell = Doorbell()
    private let stopping = Atomic(false)
    private let metrics = QueueMetrics()
    private let journal: ExecutionJournal?

    public init(
        pool: PostgresPool, handlers: HandlerRegistry, configuration: WorkerConfiguration = WorkerConfiguration(),
        clock: any TimeSource = SystemTimeSource(), journal: ExecutionJournal? = nil, logger: Logger
    ) {
        self.pool = pool
        self.journal = journal
        self.handlers = handlers
        self.configuration = configuration
        self.clock = clock
        var workerLogger = logger
        workerLogger[metadataKey: "worker"] = "\(configuration.workerID)"
        self.logger = workerLogger
        let logger = workerLogger
        queue = TaskQueue(pool: pool, logger: logger)
        kinds = handlers.kinds
        claimConnection = SessionConnection(configuration: pool.configuration)
        let inFlight = inFlight
        let claimBell = claimBell
        let metrics = metrics
        reporter = OutcomeReporter(
            connection: SessionConnection(configuration: pool.configuration), owner: configuration.workerID,
            leaseMilliseconds: configuration.leaseMilliseconds, renewEvery: configuration.lease / 3, logger: logger,
            runningLeases: { inFlight.leases },
            onSettled: { settled in
                Self.settled(settled, metrics: metrics, logger: logger)
                // A settled task frees its customer for the next claim.
                claimBell.ring()
            },
            onRenewed: { asked, held, cancel in
                let lost = asked.map(\.taskID).filter { !held.contains($0) }
                for task in inFlight.mark(lost, .lost) {
                    metrics.leasesLost.increment()
                    logger.warning("lost the lease of a running task; cancelling it", metadata: Self.metadata(task))
                }
                for task in inFlight.mark(cancel, .cancelRequested) {
                    logger.info("task cancelled while running; stopping it", metadata: Self.metadata(task))
                }
            })
    }

    public func run() async throws {
        try configuration.validate()
        guard !kinds.isEmpty else { throw WorkerError.invalidConfiguration("the worker has no handlers") }
        logger.info("worker starting", metadata: [
            "kinds": "\(kinds.joined(separator: ","))", "concurrency": "\(configuration.concurrency)",
            "lease": "\(configuration.lease)",
        ])
        await maintainHistory()
        let listener = PostgresListener(configuration: pool.configuration, channels: [QueueChannel.tasks], logger: logger)
        let reporting = Task { await reporter.run() }
        let listening = Task { await listen(listener) }
        let sampling = Task { await DepthSampler(pool: pool, interval: configuration.metricsInterval, logger: logger).run() }
        let vacuuming = Task {
            // Direct: its advisory lock spans statements, which a transaction-mode pooler would split.
            await QueueVacuum(connection: SessionConnection(configuration: pool.configuration.direct), logger: logger)
                .run(every: .seconds(1))
        }

        await withTaskCancellationOrGracefulShutdownHandler {
            await claimLoop()
        } onCancelOrGracefulShutdown: {
            self.stopping.store(true, ordering: .releasing)
            self.claimBell.ring()
        }

        logger.info("worker stopping: no new claims", metadata: ["running": "\(inFlight.count)"])
        await waitForRunningHandlers(upTo: configuration.shutdownGrace)
        // A cancelled handler stops only where it checks for cancellation. Its task goes back when
        // it returns, not before: given back earlier, another worker could start the task, or the
        // customer's next one, while this handler still runs.
        let cancelled = inFlight.cancelAll()
        if cancelled > 0 {
            logger.info("giving unfinished tasks back to the queue", metadata: ["tasks": "\(cancelled)"])
            await waitForRunningHandlers(upTo: configuration.cancelGrace)
            let abandoned = inFlight.abandonAll()
            if !abandoned.isEmpty {
                logger.warning("handlers ignored cancellation; exiting without giving their tasks back, which run again once their leases expire",
                               metadata: ["tasks": "\(abandoned.map(\.id))"])
            }
        }
        reporter.finish()
        await reporting.value
        listener.stop()
        listening.cancel()
        sampling.cancel()
        vacuuming.cancel()
        metrics.runningTasks.record(0)
        logger.info("worker stopped")
    }

    // MARK: - Claiming

    private func claimLoop() async {
        let clock = ContinuousClock()
        // Kinds take turns, one claim each; each kind keeps its own round-robin cursor over tenants.
        var cursors = [Int64](repeating: -1, count: kinds.count)
        var turn = 0
        var shortClaimsInARow = 0
        var nextHousekeeping = clock.now
        var nextMaintenance = clock.now + .seconds(3600)
        var failures = 0
        while !stopping.load(ordering: .acquiring) {
            if clock.now >= nextHousekeeping {
                await housekeeping()
                nextHousekeeping = clock.now + configuration.pollInterval
            }
            if clock.now >= nextMaintenance {
                await maintainHistory()
                nextMaintenance = clock.now + .seconds(3600)
            }
            let free = configuration.concurrency - inFlight.count
            var more = false
            if free > 0 {
                let wanted = min(free, configuration.claimBatch)
                let lane = turn % kinds.count
                turn += 1
                do {
                    let claimed = try await claim(kind: kinds[lane], limit: wanted, cursor: &cursors[lane])
                    failures = 0
                    for task in claimed { start(task) }
                    metrics.runningTasks.record(inFlight.count)
                    shortClaimsInARow = claimed.count == wanted ? 0 : shortClaimsInARow + 1
                    // A full batch may have more behind it; a short one ends the round once every
                    // kind came up short.
                    more = shortClaimsInARow < kinds.count
                } catch {
                    failures += 1
                    if failures == 1 || failures % 20 == 0 {
                        logger.warning("claim failed; retrying", metadata: ["error": "\(error)", "failures": "\(failures)"])
                    }
                    await claimBell.wait(timeout: min(.milliseconds(50) * (1 << min(failures, 6)), .seconds(2)))
                    continue
                }
            }
            if more { continue }
            shortClaimsInARow = 0
            await claimBell.wait(timeout: max(nextHousekeeping - clock.now, .milliseconds(1)))
        }
    }

    private func claim(kind: String, limit: Int, cursor: inout Int64) async throws -> [ClaimedTask] {
        let began = ContinuousClock.now
        let rows = try await claimConnection.query(ClaimStatement.query(
            kind: kind, limit: limit, maxLanes: limit, after: cursor, owner: configuration.workerID,
            leaseMilliseconds: configuration.leaseMilliseconds))
        metrics.claimDuration.record(duration: ContinuousClock.now - began)
        var claimed: [ClaimedTask] = []
        claimed.reserveCapacity(rows.count)
        for row in rows {
            let (tenantID, id, customerID, kind, payload, priority, runAt, createdAt, attempt, maxAttempts) =
                try row.decode((Int64, Int64, Int64?, String, PostgresJSON, Int, Date, Date, Int, Int).self)
            claimed.append(ClaimedTask(
                id: id, tenantID: tenantID, customerID: customerID, kind: kind, payload: payload,
                priority: Int16(truncatingIfNeeded: priority), runAt: runAt, createdAt: createdAt, attempt: attempt,
                maxAttempts: maxAttempts, lastError: try row.decode(String?.self, column: "last_error")))
        }
        if let next = try rows.first?.decode(Int64?.self, column: "next_cursor") { cursor = next }
        metrics.claimedTasks.increment(by: claimed.count)
        return claimed
    }

    private func housekeeping() async {
        do {
            let rows = try await claimConnection.query(HousekeepingStatement.query(limit: 1000))
            for row in rows {
                guard let id = try row.decode(Int64?.self, column: "id") else { continue }
                let state = try row.decode(String.self, column: "state")
                metrics.leasesReaped.increment()
                logger.warning("a task's lease expired; its worker stopped renewing it",
                               metadata: ["task": "\(id)", "state": "\(state)"])
            }
        } catch {
            logger.debug("housekeeping failed", metadata: ["error": "\(error)"])
        }
    }

    /// Daily history partitions ahead, old ones dropped.
    private func maintainHistory() async {
        do {
            try await claimConnection.query(
                "SELECT arrears_queue_maintain(make_interval(days => \(configuration.historyRetentionDays)::int))")
        } catch {
            logger.warning("could not maintain task history partitions", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Running

    private func start(_ task: ClaimedTask) {
        guard let handler = handlers.handler(for: task.kind) else { return }
        inFlight.start(task) { [self] in await execute(task, handler: handler) }
    }

    private func execute(_ task: ClaimedTask, handler: any TaskHandler) async {
        let context = TaskContext(pool: pool, logger: logger, metadata: Self.metadata(task), clock: clock, queue: queue)
        let startedAt = Date()
        let began = ContinuousClock.now
        let tracing = logger.logLevel <= .debug
        if tracing { context.logger.debug("task started") }
        journal?.record("start", task)
        let result: Outcome.Result
        do {
            try await handler.run(task, context: context)
            result = .succeeded
        } catch let later as RetryLater {
            result = .snoozed(until: later.date)
        } catch let giveUp as GiveUp {
            result = .dead(reason: giveUp.reason)
        } catch {
            let delay = configuration.backoff.delay(afterAttempt: task.attempt)
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            result = .failed(error: String(describing: error), retryAt: Date().addingTimeInterval(seconds))
            context.logger.warning("task failed", metadata: ["error": "\(error)"])
        }
        journal?.record("end", task, outcome: result.name)
        metrics.recordRun(kind: task.kind, duration: ContinuousClock.now - began)
        if tracing { context.logger.debug("task finished", metadata: ["outcome": "\(result.name)"]) }
        switch inFlight.finish(task.id) {
        case .report:
            reporter.submit(Outcome(lease: Lease(task), kind: task.kind, result: result, startedAt: startedAt))
        case .cancelRequested:
            let final: Outcome.Result = if case .succeeded = result { .succeeded } else { .cancelled }
            reporter.submit(Outcome(lease: Lease(task), kind: task.kind, result: final, startedAt: startedAt))
        case .released:
            let final: Outcome.Result = if case .succeeded = result { .succeeded } else { .released }
            reporter.submit(Outcome(lease: Lease(task), kind: task.kind, result: final, startedAt: startedAt))
        case .lost, nil:
            // Another worker may own the task now; shutdown already gave it back.
            break
        }
        claimBell.ring()
    }

    private func waitForRunningHandlers(upTo grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        while !inFlight.isEmpty, ContinuousClock.now < deadline {
            await claimBell.wait(timeout: min(deadline - ContinuousClock.now, .milliseconds(100)))
        }
    }

    private func listen(_ listener: PostgresListener) async {
        var ready = false
        for await event in listener.events {
            switch event {
            case .connected:
                // Notifications sent while the listener was away are lost: look for work.
                if !ready {
                    ready = true
                    logger.info("worker ready")
                }
                claimBell.ring()
            case .notification(_, let payload):
                if payload.isEmpty || payload.split(separator: ",").contains(where: { kinds.contains(String($0)) }) {
                    claimBell.ring()
                }
            }
        }
    }

    // MARK: - Reporting

    private static func settled(_ settled: [OutcomeReporter.Settled], metrics: QueueMetrics, logger: Logger) {
        var counts: [QueueMetrics.Settlement: Int] = [:]
        for item in settled {
            let outcome = item.outcome
            guard let state = item.state else {
                metrics.leasesLost.increment()
                logger.warning("outcome not recorded: the lease had expired and the task was given to another run",
                               metadata: ["task": "\(outcome.lease.taskID)", "outcome": "\(outcome.result.name)"])
                continue
            }
            counts[QueueMetrics.Settlement(kind: outcome.kind, outcome: outcome.result.name, state: state), default: 0] += 1
            if state == TaskState.dead.rawValue {
                logger.warning("task is dead", metadata: [
                    "task": "\(outcome.lease.taskID)", "tenant": "\(outcome.lease.tenantID)", "kind": "\(outcome.kind)",
                    "attempt": "\(outcome.lease.attempt)", "error": "\(outcome.result.error ?? "")",
                ])
            }
        }
        for (settlement, count) in counts { metrics.recordSettled(settlement, count: count) }
    }

    static func metadata(_ task: ClaimedTask) -> Logger.Metadata {
        [
            "tenant": "\(task.tenantID)", "customer": "\(task.customerID.map(String.init) ?? "none")",
            "task": "\(task.id)", "kind": "\(task.kind)", "attempt": "\(task.attempt)",
        ]
    }
}
