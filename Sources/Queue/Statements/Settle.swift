/// The end of every statement that takes tasks out of `running_tasks` (outcomes, the reaper)
/// or out of history (redrive). It expects a CTE `resolved` with the task's columns plus
/// `next_state` (succeeded, dead, cancelled: to history; scheduled, available: back to
/// `tasks`), `attempt_after`, `run_at_after`, `error_after`, `started_at` and `worker`.
///
/// A task returning to `tasks` whose dedupe key a newer waiting task holds is superseded by
/// it: the newer one does the same work, so the older one goes to history as cancelled.
enum Settle {
    static let supersededReason = "superseded by a waiting task with the same dedupe key"

    static let ctes = """
        archived AS (
            INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt,
                                      max_attempts, dedupe_key, last_error, created_at, started_at, worker)
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, next_state, attempt,
                   max_attempts, dedupe_key, error_after, created_at, started_at, worker
            FROM resolved WHERE next_state IN ('succeeded', 'dead', 'cancelled')
        ),
        requeued AS (
            INSERT INTO tasks (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt,
                               max_attempts, dedupe_key, last_error, created_at)
            OVERRIDING SYSTEM VALUE
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at_after, next_state, attempt_after,
                   max_attempts, dedupe_key, error_after, created_at
            FROM resolved WHERE next_state IN ('scheduled', 'available')
            ON CONFLICT DO NOTHING
            RETURNING id, state, kind
        ),
        superseded AS (
            INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt,
                                      max_attempts, dedupe_key, last_error, created_at, started_at, worker)
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, 'cancelled', attempt,
                   max_attempts, dedupe_key, '\(supersededReason)', created_at, started_at, worker
            FROM resolved
            WHERE next_state IN ('scheduled', 'available') AND id NOT IN (SELECT id FROM requeued)
            RETURNING id
        ),
        woken AS (
            SELECT pg_notify('\(QueueChannel.tasks)', string_agg(DISTINCT kind, ',')) FROM requeued
            WHERE state = 'available' HAVING count(*) > 0
        )
        """

    /// The state each resolved task ended in, for the final SELECT (`r` is `resolved`).
    static let finalState = """
        CASE WHEN r.id IN (SELECT id FROM superseded) THEN 'cancelled' ELSE r.next_state END
        """
}
