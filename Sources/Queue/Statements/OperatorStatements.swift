import Foundation
import Postgres

enum CancelStatement {
    static func query(tenantID: Int64, id: Int64) -> PostgresQuery {
        """
        WITH waiting AS (
            DELETE FROM tasks WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING *
        ),
        archived AS (
            INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt,
                                      max_attempts, dedupe_key, last_error, created_at)
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, 'cancelled', attempt,
                   max_attempts, dedupe_key, last_error, created_at
            FROM waiting
        ),
        flagged AS (
            UPDATE running_tasks SET cancel_requested = true WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING id
        )
        SELECT (SELECT count(*) FROM waiting) AS cancelled, (SELECT count(*) FROM flagged) AS stopping,
               (SELECT state FROM task_history WHERE tenant_id = \(tenantID) AND id = \(id)
                ORDER BY finished_at DESC LIMIT 1) AS finished_state
        """
    }
}

/// Gives dead tasks a new set of attempts: back to `tasks`, available now.
enum RedriveStatement {
    static func query(tenantID: Int64, ids: [Int64]) -> PostgresQuery {
        """
        WITH revived AS (
            DELETE FROM task_history WHERE tenant_id = \(tenantID) AND id = ANY(\(ids)::bigint[]) AND state = 'dead'
            RETURNING *
        ),
        resolved AS (
            SELECT v.tenant_id, v.id, v.customer_id, v.kind, v.payload, v.priority, v.run_at, v.attempt,
                   v.max_attempts, v.dedupe_key, v.created_at, v.started_at, v.worker,
                   'available' AS next_state, 0 AS attempt_after, now() AS run_at_after, v.last_error AS error_after
            FROM revived v
        ),
        \(unescaped: Settle.ctes)
        SELECT r.id, \(unescaped: Settle.finalState) AS state, (SELECT count(*) FROM woken) AS notified
        FROM resolved r
        """
    }
}
