import Foundation
import Postgres

/// Reads tasks wherever they are — `tasks` (waiting), `running_tasks`, `task_history` — as
/// one UNION ALL statement, so a task moving between tables while it runs is seen exactly once
/// (one snapshot). Each arm filters by tenant itself and row-level security is the second lock,
/// so it runs as the owner and inside a tenant transaction alike.
enum TaskReadStatement {
    static let commonColumns = """
        tenant_id, id, customer_id, kind, payload, priority, run_at, attempt, max_attempts, last_error, created_at, dedupe_key
        """

    /// The tables a state lives in; no state reads all three.
    private enum Arm: CaseIterable {
        case waiting, running, finished

        var select: String {
            switch self {
            case .waiting:
                """
                SELECT state, \(commonColumns), NULL::text AS worker, NULL::timestamptz AS started_at,
                       NULL::timestamptz AS finished_at, NULL::timestamptz AS lease_expires_at, false AS cancel_requested
                FROM tasks
                """
            case .running:
                """
                SELECT 'running', \(commonColumns), lease_owner, claimed_at, NULL, lease_expires_at, cancel_requested
                FROM running_tasks
                """
            case .finished:
                """
                SELECT state, \(commonColumns), worker, started_at, finished_at, NULL, false
                FROM task_history
                """
            }
        }

        static func holding(_ state: TaskState?) -> [Arm] {
            switch state {
            case nil: allCases
            case .scheduled?, .available?: [.waiting]
            case .running?: [.running]
            case .succeeded?, .dead?, .cancelled?: [.finished]
            }
        }
    }

    /// One task by id.
    static func lookup(tenantID: Int64, id: Int64) -> PostgresQuery {
        var sql = PostgresQuery("")
        for (index, arm) in Arm.allCases.enumerated() {
            sql.append(PostgresQuery(index == 0 ? "(" : " UNION ALL (") + PostgresQuery(arm.select))
            sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id)")
            // History keeps one row per task, but the latest wins should that ever change.
            if arm == .finished { sql.append(" ORDER BY finished_at DESC LIMIT 1") }
            sql.append(")")
        }
        sql.append(" LIMIT 1")
        return sql
    }

    /// A page of a tenant's tasks, newest (highest id) first, `limit + 1` rows to tell whether
    /// there is more. Each arm walks its (tenant_id, id) index backwards and stops at the page.
    static func list(tenantID: Int64, filter: TaskFilter, limit: Int, startingAfter: Int64?) -> PostgresQuery {
        var sql = PostgresQuery("SELECT * FROM (")
        for (index, arm) in Arm.holding(filter.state).enumerated() {
            sql.append(PostgresQuery(index == 0 ? "(" : " UNION ALL (") + PostgresQuery(arm.select))
            sql.append(" WHERE tenant_id = \(tenantID)")
            if let state = filter.state, arm != .running { sql.append(" AND state = \(state.rawValue)") }
            if let kind = filter.kind { sql.append(" AND kind = \(kind)") }
            if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
            if let startingAfter { sql.append(" AND id < \(startingAfter)") }
            sql.append(" ORDER BY id DESC LIMIT \(limit + 1))")
        }
        sql.append(") AS page ORDER BY id DESC LIMIT \(limit + 1)")
        return sql
    }

    static func decode(_ row: PostgresRow) throws -> TaskRecord {
        let (state, tenantID, id, customerID, kind, payload, priority, runAt, attempt, maxAttempts) =
            try row.decode((String, Int64, Int64, Int64?, String, PostgresJSON, Int, Date, Int, Int).self)
        return TaskRecord(
            id: id, tenantID: tenantID, customerID: customerID, kind: kind,
            state: TaskState(rawValue: state) ?? .cancelled, payload: payload, priority: Int16(priority),
            runAt: runAt, attempt: attempt, maxAttempts: maxAttempts,
            lastError: try row.decode(String?.self, at: 10),
            createdAt: try row.decode(Date.self, at: 11),
            dedupeKey: try row.decode(String?.self, at: 12),
            worker: try row.decode(String?.self, at: 13),
            startedAt: try row.decode(Date?.self, at: 14),
            finishedAt: try row.decode(Date?.self, at: 15),
            leaseExpiresAt: try row.decode(Date?.self, at: 16),
            cancelRequested: try row.decode(Bool.self, at: 17))
    }
}
