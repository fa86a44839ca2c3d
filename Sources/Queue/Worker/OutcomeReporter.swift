import Foundation
import Logging
import Postgres
import Synchronization

/// Writes outcomes in batches and renews leases, one statement at a time on a connection of
/// its own. While a batch is being written the next one gathers, so under load each statement
/// carries many outcomes and when idle an outcome goes out at once. Renewals and outcome
/// writes never run concurrently, so they cannot deadlock on the rows they share.
final class OutcomeReporter: Sendable {
    struct Settled: Sendable {
        let outcome: Outcome
        /// The state the task ended in, or nil when the lease was no longer ours.
        let state: String?
    }

    private let connection: SessionConnection
    private let owner: String
    private let leaseMilliseconds: Int64
    private let renewEvery: Duration
    private let logger: Logger
    private let bell = Doorbell()
    private let state = Mutex(State())

    private struct State {
        var pending: [Outcome] = []
        var finishing = false
        /// Failures of the current batch that were the statement's, not the connection's.
        var statementFailures = 0
    }

    /// Leases to renew besides those of pending outcomes: the running handlers'.
    private let runningLeases: @Sendable () -> [Lease]
    private let onSettled: @Sendable ([Settled]) -> Void
    /// Renewal results: the leases asked about, the task ids still held, and those to cancel.
    private let onRenewed: @Sendable (_ asked: [Lease], _ held: Set<Int64>, _ cancel: Set<Int64>) -> Void

    static let batchLimit = 5000

    init(
        connection: SessionConnection, owner: String, leaseMilliseconds: Int64, renewEvery: Duration, logger: Logger,
        runningLeases: @escaping @Sendable () -> [Lease], onSettled: @escaping @Sendable ([Settled]) -> Void,
        onRenewed: @escaping @Sendable ([Lease], Set<Int64>, Set<Int64>) -> Void
    ) {
        self.connection = connection
        self.owner = owner
        self.leaseMilliseconds = leaseMilliseconds
        self.renewEvery = renewEvery
        self.logger = logger
        self.runningLeases = runningLeases
        self.onSettled = onSettled
        self.onRenewed = onRenewed
    }

    func submit(_ outcome: Outcome) {
        state.withLock { $0.pending.append(outcome) }
        bell.ring()
    }

    func submit(_ outcomes: [Outcome]) {
        guard !outcomes.isEmpty else { return }
        state.withLock { $0.pending += outcomes }
        bell.ring()
    }

    /// Asks `run` to return once everything submitted is written (or `deadline` passes).
    func finish() {
        state.withLock { $0.finishing = true }
        bell.ring()
    }

    func run(deadlineAfterFinish: Duration = .seconds(10)) async {
        let clock = ContinuousClock()
        var nextRenewal = clock.now + renewEvery
        var retryDelay = Duration.milliseconds(50)
        var finishDeadline: ContinuousClock.Instant?
        while true {
            let (batch, finishing) = state.withLock { state in
                let batch = Array(state.pending.prefix(Self.batchLimit))
                state.pending.removeFirst(batch.count)
                return (batch, state.finishing)
            }
            if finishing, finishDeadline == nil { finishDeadline = clock.now + deadlineAfterFinish }
            if batch.isEmpty, finishing { return }
            var failed = false
            if !batch.isEmpty {
                failed = !(await write(batch))
            }
            if !failed, clock.now >= nextRenewal {
                failed = !(await renew())
                if !failed { nextRenewal = clock.now + renewEvery }
            }
            if failed {
                if let finishDeadline, clock.now >= finishDeadline {
                    let lost = state.withLock { state in defer { state.pending = [] }; return state.pending.count }
                    logger.error("could not write outcomes before shutting down; their leases will expire and the tasks run again",
                                 metadata: ["outcomes": "\(lost + batch.count)"])
                    return
                }
                await bell.wait(timeout: retryDelay)
                retryDelay = min(retryDelay * 2, .seconds(2))
                continue
            }
            retryDelay = .milliseconds(50)
            let idle = state.withLock { $0.pending.isEmpty && !$0.finishing }
            if idle {
                await bell.wait(timeout: max(nextRenewal - clock.now, .milliseconds(1)))
            }
        }
    }

    /// Writes a batch; on a failure the batch goes back to the front of the queue.
    private func write(_ batch: [Outcome]) async -> Bool {
        do {
            let rows = try await connection.query(OutcomeStatement.query(batch, owner: owner))
            var states: [Int64: String] = [:]
            for row in rows {
                let (id, state) = try row.decode((Int64, String).self)
                states[id] = state
            }
            state.withLock { $0.statementFailures = 0 }
            onSettled(batch.map { Settled(outcome: $0, state: states[$0.lease.taskID]) })
            return true
        } catch let error as PostgresError where !error.isConnectionFailure
                    && state.withLock({ $0.statementFailures += 1; return $0.statementFailures >= 3 }) {
            // Retrying a statement the server keeps refusing would stall every later outcome;
            // these tasks' leases expire instead and the reaper puts them back.
            logger.error("dropping task outcomes the database refuses", metadata: ["error": "\(error)", "outcomes": "\(batch.count)"])
            state.withLock { $0.statementFailures = 0 }
            return true
        } catch {
            logger.warning("could not write task outcomes; retrying", metadata: ["error": "\(error)", "outcomes": "\(batch.count)"])
            state.withLock { $0.pending.insert(contentsOf: batch, at: 0) }
            return false
        }
    }

    private func renew() async -> Bool {
        let pending = state.withLock { $0.pending.map(\.lease) }
        let leases = runningLeases() + pending
        guard !leases.isEmpty else { return true }
        do {
            let rows = try await connection.query(RenewStatement.query(leases, owner: owner, leaseMilliseconds: leaseMilliseconds))
            var held = Set<Int64>(), cancel = Set<Int64>()
            for row in rows {
                let (id, cancelRequested) = try row.decode((Int64, Bool).self)
                held.insert(id)
                if cancelRequested { cancel.insert(id) }
            }
            onRenewed(leases, held, cancel)
            return true
        } catch {
            logger.warning("could not renew leases; retrying", metadata: ["error": "\(error)"])
            return false
        }
    }
}
