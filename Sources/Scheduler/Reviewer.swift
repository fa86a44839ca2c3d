import Dunning
import Foundation
import Logging
import Postgres
import Queue
import Store
import Synchronization

/// Reviews the customers whose review is due: reads a list of them from the due index, then claims
/// and decides them in batches on a few connections at once, each batch in one transaction that
/// writes the customers' level, next review and activity, one audit event each, and the agent tasks.
/// The scheduler's leader runs it; `arrears bench scheduler` runs it over a whole book.
public struct Reviewer: Sendable {
    public struct Configuration: Sendable {
        /// Customers claimed, decided and written per transaction.
        public var batchSize = 1_000
        /// Batches in flight at once, each on its own connection: while one decides, the others
        /// wait on the database (three kept two cores busier than two did).
        public var concurrency = 3
        /// Due customers read from the index per scan, then claimed batch by batch.
        public var scanSize = 50_000
        /// Named in every audit event's details, so an operator sees which replica decided.
        public var schedulerName = "scheduler"

        public init() {}
    }

    /// What a review did.
    public struct Summary: Sendable, Equatable {
        public var customers = 0
        public var tasksEnqueued = 0
        /// Tasks not enqueued because the same task (same dedupe key) was still waiting.
        public var tasksDeduplicated = 0
        /// Customers not acted on because their tenant's policy could not be read.
        public var customersSkipped = 0

        public init() {}

        static func + (lhs: Summary, rhs: Summary) -> Summary {
            var sum = lhs
            sum.customers += rhs.customers
            sum.tasksEnqueued += rhs.tasksEnqueued
            sum.tasksDeduplicated += rhs.tasksDeduplicated
            sum.customersSkipped += rhs.customersSkipped
            return sum
        }
    }

    /// The audit actor of every review.
    public static let actor = "scheduler"
    /// How long a customer whose tenant's policy cannot be read waits before it is tried again.
    static let unreadablePolicyRetry: TimeInterval = 3_600

    let pool: PostgresPool
    let store: ReviewStore
    let queue: TaskQueue
    let configuration: Configuration
    let logger: Logger

    public init(pool: PostgresPool, store: ReviewStore = ReviewStore(), configuration: Configuration = Configuration(),
                logger: Logger) {
        self.pool = pool
        self.store = store
        self.queue = TaskQueue(pool: pool, logger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    /// Reviews everyone due at `now` (the reviewer's clock) until no one due is left that another
    /// reviewer does not hold. `stillLeading` is asked before each scan; when it says no, the review
    /// stops there (what is left stays due for whoever leads now).
    public func reviewDue(at now: Date, stillLeading: @Sendable () async -> Bool = { true }) async throws -> Summary {
        var total = Summary()
        while !Task.isCancelled, await stillLeading() {
            let candidates = try await pool.withConnection {
                try await store.dueCustomers(at: now, limit: configuration.scanSize, on: $0)
            }
            guard !candidates.isEmpty else { break }
            let summary = try await review(candidates, at: now)
            total = total + summary
            // A short list was everything due; a list nobody could be claimed from is held by others.
            if candidates.count < configuration.scanSize || summary.customers == 0 { break }
        }
        return total
    }

    /// Claims, decides and writes `candidates` in batches, `concurrency` transactions at a time.
    func review(_ candidates: [CustomerKey], at now: Date) async throws -> Summary {
        // In key order a batch's customers are neighbours in every tenant-led index (and, as
        // imports store them, on the heap): its lookups and writes touch far fewer pages.
        let ordered = candidates.sorted { ($0.tenantID, $0.customerID) < ($1.tenantID, $1.customerID) }
        let batches = stride(from: 0, to: ordered.count, by: configuration.batchSize).map {
            Array(ordered[$0..<min($0 + configuration.batchSize, ordered.count)])
        }
        let cursor = BatchCursor(count: batches.count)
        return try await withThrowingTaskGroup(of: Summary.self) { group in
            for _ in 0..<min(configuration.concurrency, batches.count) {
                group.addTask {
                    var summary = Summary()
                    while !Task.isCancelled, let index = cursor.next() {
                        summary = summary + (try await reviewBatch(batches[index], at: now))
                    }
                    return summary
                }
            }
            return try await group.reduce(Summary(), +)
        }
    }

    /// One transaction: claim what is still due and free, decide, write outcomes and tasks.
    func reviewBatch(_ candidates: [CustomerKey], at now: Date) async throws -> Summary {
        try await pool.withTransaction { connection in
            // Statements over arrays of a thousand rows get cost estimates that cross jit_above_cost,
            // and compiling them took longer than running them.
            try await connection.simpleQuery("SET LOCAL jit = off")
            let customers = try await store.claim(candidates, dueAt: now, on: connection)
            guard !customers.isEmpty else { return Summary() }
            let tenants = Array(Set(customers.map(\.key.tenantID)))
            let policies = try await store.policies(for: tenants, on: connection)
            var summary = Summary()
            var outcomes: [ReviewOutcome] = []
            outcomes.reserveCapacity(customers.count)
            var tasks: [NewTask] = []
            for customer in customers {
                switch policies[customer.key.tenantID] ?? .readable(.standard) {
                case .readable(let policy):
                    let exposure = Exposure(customer.snapshot, now: now)
                    let decision = decide(exposure, policy: policy)
                    tasks += AgentTasks.tasks(for: customer, exposure: exposure, decision: decision, at: now)
                    outcomes.append(ReviewOutcome(
                        key: customer.key, decision: decision,
                        auditDetails: AuditDetails.json(decision: decision, previousLevel: customer.snapshot.profile.escalationLevel,
                                                        scheduler: configuration.schedulerName)))
                case .unreadable(let problem):
                    summary.customersSkipped += 1
                    outcomes.append(skipped(customer, problem: problem, at: now))
                }
            }
            try await store.record(outcomes, actor: Self.actor, at: now, on: connection)
            let enqueued = try await queue.enqueue(tasks, on: connection)
            summary.customers = customers.count
            summary.tasksDeduplicated = enqueued.count { $0.deduplicated }
            summary.tasksEnqueued = enqueued.count - summary.tasksDeduplicated
            logger.debug("reviewed a batch", metadata: [
                "customers": "\(customers.count)", "tasks": "\(summary.tasksEnqueued)",
                "deduplicated": "\(summary.tasksDeduplicated)",
            ])
            return summary
        }
    }

    /// Nothing is done for a customer whose tenant's policy cannot be read; it is looked at again later.
    private func skipped(_ customer: CustomerUnderReview, problem: String, at now: Date) -> ReviewOutcome {
        var details = JSONObjectText()
        details.add("scheduler", configuration.schedulerName)
        return ReviewOutcome(
            key: customer.key, escalationLevel: customer.snapshot.profile.escalationLevel,
            nextReviewAt: now.addingTimeInterval(Self.unreadablePolicyRetry), outreachStage: nil,
            contactDiscoveryDispatched: false, ownerNotificationDispatched: false, auditAction: "review_skipped",
            reasons: ["the tenant's policy cannot be read (\(problem)): nothing is done until it is fixed"],
            auditDetails: details.finished)
    }
}

/// Hands out batch indexes to the concurrent batch loops.
private final class BatchCursor: Sendable {
    private let state: Mutex<Int> = Mutex(0)
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func next() -> Int? {
        state.withLock { next in
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}
