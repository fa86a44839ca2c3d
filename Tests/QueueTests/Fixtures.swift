import Foundation
import Logging
import Postgres
@testable import Queue
import TestSupport

/// Runs the queue's statements directly, as a worker would, for tests of the claim and of
/// outcomes that need no process.
struct QueueDriver {
    let pool: PostgresPool
    let connection: SessionConnection

    init(pool: PostgresPool) {
        self.pool = pool
        connection = SessionConnection(configuration: pool.configuration)
    }

    var queue: TaskQueue { TaskQueue(pool: pool, logger: Logger(label: "test.queue")) }

    func claim(
        owner: String = "worker-a", kind: String = "demo", limit: Int = 10, lease: Duration = .seconds(30),
        on session: SessionConnection? = nil
    ) async throws -> [ClaimedTask] {
        let milliseconds = lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
        let rows = try await (session ?? connection).query(ClaimStatement.query(
            kind: kind, limit: limit, maxLanes: limit, after: -1, owner: owner, leaseMilliseconds: milliseconds))
        return try rows.map { row in
            let (tenantID, id, customerID, kind, payload, priority, runAt, createdAt, attempt, maxAttempts) =
                try row.decode((Int64, Int64, Int64?, String, PostgresJSON, Int, Date, Date, Int, Int).self)
            return ClaimedTask(
                id: id, tenantID: tenantID, customerID: customerID, kind: kind, payload: payload,
                priority: Int16(priority), runAt: runAt, createdAt: createdAt, attempt: attempt,
                maxAttempts: maxAttempts, lastError: try row.decode(String?.self, column: "last_error"))
        }
    }

    /// Writes outcomes as `owner`; returns the state each task that was still leased ended in.
    func report(_ results: [(ClaimedTask, Outcome.Result)], owner: String = "worker-a") async throws -> [Int64: String] {
        let outcomes = results.map { Outcome(lease: Lease($0.0), kind: $0.0.kind, result: $0.1, startedAt: Date()) }
        var states: [Int64: String] = [:]
        for row in try await connection.query(OutcomeStatement.query(outcomes, owner: owner)) {
            let (id, state) = try row.decode((Int64, String).self)
            states[id] = state
        }
        return states
    }

    /// Promotes due tasks and reaps expired leases; returns reaped task ids and their new state.
    @discardableResult
    func housekeeping() async throws -> [Int64: String] {
        var reaped: [Int64: String] = [:]
        for row in try await connection.query(HousekeepingStatement.query(limit: 1000)) {
            if let id = try row.decode(Int64?.self, column: "id") {
                reaped[id] = try row.decode(String.self, column: "state")
            }
        }
        return reaped
    }

    func expireLeases() async throws {
        try await pool.query("UPDATE running_tasks SET lease_expires_at = now() - interval '1 second'")
    }

    func count(_ sql: String) async throws -> Int {
        try await pool.query(PostgresQuery(sql)).first!.decode(Int.self, at: 0)
    }

    func state(of id: Int64, tenant: Int64 = 1) async throws -> TaskRecord {
        guard let record = try await queue.task(tenantID: tenant, id: id) else {
            throw ChildProcessError("task \(id) not found")
        }
        return record
    }
}
