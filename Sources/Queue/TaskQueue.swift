import Foundation
import Logging
import Postgres

/// The queue as producers and operators see it: enqueue, cancel, redrive, look up. Workers
/// claim through `Worker`.
public struct TaskQueue: Sendable {
    public let pool: PostgresPool
    public let logger: Logger

    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Enqueues a batch in one statement of its own (committed when this returns).
    public func enqueue(_ tasks: [NewTask]) async throws -> [EnqueuedTask] {
        guard !tasks.isEmpty else { return [] }
        return try await pool.withConnection { try await enqueue(tasks, on: $0) }
    }

    public func enqueue(_ task: NewTask) async throws -> EnqueuedTask {
        try await enqueue([task])[0]
    }

    /// Enqueues a batch inside the caller's transaction on `connection`: if it rolls back, no
    /// task exists and no worker was woken. Works inside a tenant transaction (arrears_app)
    /// for that tenant's tasks.
    public func enqueue(_ tasks: [NewTask], on connection: PostgresConnection) async throws -> [EnqueuedTask] {
        guard !tasks.isEmpty else { return [] }
        var results = [EnqueuedTask?](repeating: nil, count: tasks.count)
        var pending = Array(tasks.indices)
        // A duplicate key committed after this statement's snapshot was taken makes the insert
        // skip the row yet leaves the existing task invisible to it; a new statement sees it
        // (or, if it started running meanwhile, inserts afresh).
        for _ in 0..<3 where !pending.isEmpty {
            var inserted: [DedupeKey: Int64] = [:]
            var unkeyedIDs: [Int64] = []
            for row in try await connection.query(EnqueueStatement.insert(pending.map { tasks[$0] })) {
                let (id, tenant, key) = try row.decode((Int64, Int64, String?).self)
                if let key { inserted[DedupeKey(tenantID: tenant, key: key)] = id } else { unkeyedIDs.append(id) }
            }
            // Tasks without a key are always inserted, their ids drawn in input order.
            var unkeyed = unkeyedIDs.sorted().makeIterator()
            var skipped: [Int] = []
            var claimedKeys: Set<DedupeKey> = []
            for index in pending {
                guard let key = tasks[index].dedupeKey.map({ DedupeKey(tenantID: tasks[index].tenantID, key: $0) }) else {
                    results[index] = EnqueuedTask(id: unkeyed.next()!, deduplicated: false)
                    continue
                }
                if let id = inserted[key] {
                    // Within a batch the first task with a key is the one inserted; the rest join it.
                    results[index] = EnqueuedTask(id: id, deduplicated: !claimedKeys.insert(key).inserted)
                } else {
                    skipped.append(index)
                }
            }
            pending = []
            guard !skipped.isEmpty else { break }
            let keys = skipped.map { DedupeKey(tenantID: tasks[$0].tenantID, key: tasks[$0].dedupeKey!) }
            var waiting: [DedupeKey: Int64] = [:]
            for row in try await connection.query(EnqueueStatement.waiting(Array(Set(keys)))) {
                let (id, tenant, key) = try row.decode((Int64, Int64, String).self)
                waiting[DedupeKey(tenantID: tenant, key: key)] = id
            }
            for (index, key) in zip(skipped, keys) {
                if let id = waiting[key] { results[index] = EnqueuedTask(id: id, deduplicated: true) } else { pending.append(index) }
            }
        }
        if let index = pending.first {
            throw QueueError.dedupeKeyHeldElsewhere(tenantID: tasks[index].tenantID, key: tasks[index].dedupeKey ?? "")
        }
        return results.map { $0! }
    }
}

extension TaskQueue {
    /// Tasks finished so far, whatever their outcome: a benchmark's measure of throughput.
    public func finishedCount() async throws -> Int {
        try await pool.query("SELECT count(*) FROM task_history")[0].decode(Int.self, at: 0)
    }

    /// The task wherever it is: waiting, running, or (the latest run) in history.
    public func task(tenantID: Int64, id: Int64) async throws -> TaskRecord? {
        try await pool.query(TaskReadStatement.lookup(tenantID: tenantID, id: id)).first.map(TaskReadStatement.decode)
    }

    /// The same, inside the caller's transaction on `connection` (a tenant transaction may read
    /// its own tasks: row-level security lets arrears_app see them).
    public func task(tenantID: Int64, id: Int64, on connection: PostgresConnection) async throws -> TaskRecord? {
        try await connection.query(TaskReadStatement.lookup(tenantID: tenantID, id: id)).first.map(TaskReadStatement.decode)
    }

    /// A tenant's tasks across the three tables, newest (highest id) first: at most `limit`,
    /// with ids below `startingAfter` when given. Runs inside the caller's transaction.
    public func tasks(
        tenantID: Int64, matching filter: TaskFilter = TaskFilter(), limit: Int, startingAfter: Int64? = nil,
        on connection: PostgresConnection
    ) async throws -> TaskPage {
        let limit = max(1, limit)
        let rows = try await connection.query(TaskReadStatement.list(
            tenantID: tenantID, filter: filter, limit: limit, startingAfter: startingAfter))
        let records = try rows.map(TaskReadStatement.decode)
        return TaskPage(tasks: Array(records.prefix(limit)), hasMore: records.count > limit)
    }

    /// Cancels a task: a waiting one at once, a running one when its worker next renews its
    /// leases (its handler is cancelled and the task ends as cancelled, not retried).
    public func cancel(tenantID: Int64, id: Int64) async throws -> CancelResult {
        try await pool.withConnection { try await cancel(tenantID: tenantID, id: id, on: $0) }
    }

    /// The same, inside the caller's transaction on `connection`: a tenant transaction may
    /// cancel its own tasks (migration 0011 lets arrears_app move them).
    public func cancel(tenantID: Int64, id: Int64, on connection: PostgresConnection) async throws -> CancelResult {
        let row = try await connection.query(CancelStatement.query(tenantID: tenantID, id: id))[0]
        let (cancelled, stopping, finished) = try row.decode((Int, Int, String?).self)
        if cancelled > 0 { return .cancelled }
        if stopping > 0 { return .stopping }
        if let finished, let state = TaskState(rawValue: finished) { return .alreadyFinished(state) }
        return .notFound
    }

    /// Puts dead tasks back in the queue with fresh attempts; returns the ids requeued (a task
    /// whose dedupe key a waiting task now holds is superseded by it instead).
    @discardableResult
    public func redrive(tenantID: Int64, ids: [Int64]) async throws -> [Int64] {
        try await pool.withConnection { try await redrive(tenantID: tenantID, ids: ids, on: $0) }
    }

    /// The same, inside the caller's transaction on `connection` (a tenant transaction included);
    /// the workers are woken when it commits.
    @discardableResult
    public func redrive(tenantID: Int64, ids: [Int64], on connection: PostgresConnection) async throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query(RedriveStatement.query(tenantID: tenantID, ids: ids))
        return try rows.compactMap { row in
            let (id, state) = try row.decode((Int64, String).self)
            return state == TaskState.available.rawValue ? id : nil
        }
    }
}
