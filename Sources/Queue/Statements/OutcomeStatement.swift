import Postgres

/// Records a batch of outcomes in one statement. Each applies only if the worker still holds
/// that attempt's lease (fencing): a worker whose lease expired, and whose task another worker
/// has since claimed, changes nothing.
enum OutcomeStatement {
    static func query(_ outcomes: [Outcome], owner: String) -> PostgresQuery {
        var tenants: [Int64] = [], ids: [Int64] = [], attempts: [Int32] = [], kinds: [String] = []
        var dues: [Int64?] = [], errors: [String?] = [], starts: [Int64?] = []
        for outcome in outcomes {
            tenants.append(outcome.lease.tenantID)
            ids.append(outcome.lease.taskID)
            attempts.append(Int32(outcome.lease.attempt))
            kinds.append(outcome.result.name)
            dues.append(outcome.result.dueAt.map(Microseconds.since1970))
            errors.append(outcome.result.error)
            starts.append(outcome.startedAt.map(Microseconds.since1970))
        }
        return """
            WITH input AS (
                SELECT * FROM unnest(\(tenants)::bigint[], \(ids)::bigint[], \(attempts)::int[], \(kinds)::text[],
                                     \(dues)::bigint[], \(errors)::text[], \(starts)::bigint[])
                    AS i(tenant_id, id, attempt, outcome, due_us, error, started_us)
            ),
            finished AS (
                DELETE FROM running_tasks r USING input i
                WHERE r.tenant_id = i.tenant_id AND r.id = i.id AND r.attempt = i.attempt AND r.lease_owner = \(owner)
                RETURNING r.tenant_id, r.id, r.customer_id, r.kind, r.payload, r.priority, r.run_at, r.attempt,
                          r.max_attempts, r.dedupe_key, r.last_error, r.created_at, r.cancel_requested, i.outcome,
                          timestamptz 'epoch' + i.due_us * interval '1 microsecond' AS due_at, i.error,
                          timestamptz 'epoch' + i.started_us * interval '1 microsecond' AS started_at
            ),
            resolved AS (
                SELECT f.*, \(owner)::text AS worker,
                       CASE WHEN f.cancel_requested AND f.outcome <> 'succeeded' THEN 'cancelled'
                            WHEN f.outcome = 'failed' AND f.attempt >= f.max_attempts THEN 'dead'
                            WHEN f.outcome IN ('failed', 'snoozed') AND f.due_at > now() THEN 'scheduled'
                            WHEN f.outcome IN ('failed', 'snoozed', 'released') THEN 'available'
                            ELSE f.outcome END AS next_state,
                       -- A snooze or a release at shutdown does not use up an attempt.
                       CASE WHEN f.outcome IN ('snoozed', 'released') THEN f.attempt - 1 ELSE f.attempt END
                           AS attempt_after,
                       CASE WHEN f.outcome = 'released' THEN f.run_at ELSE coalesce(f.due_at, now()) END AS run_at_after,
                       CASE WHEN f.outcome IN ('failed', 'dead') THEN f.error ELSE f.last_error END AS error_after
                FROM finished f
            ),
            \(unescaped: Settle.ctes)
            SELECT r.id, \(unescaped: Settle.finalState) AS state, (SELECT count(*) FROM woken) AS notified
            FROM resolved r
            """
    }
}

/// Extends the leases of a worker's running tasks; returns the ones it still holds, and
/// whether someone asked to cancel them.
enum RenewStatement {
    static func query(_ leases: [Lease], owner: String, leaseMilliseconds: Int64) -> PostgresQuery {
        """
        UPDATE running_tasks r SET lease_expires_at = now() + \(leaseMilliseconds) * interval '1 millisecond'
        FROM unnest(\(leases.map(\.tenantID))::bigint[], \(leases.map(\.taskID))::bigint[],
                    \(leases.map { Int32($0.attempt) })::int[]) AS i(tenant_id, id, attempt)
        WHERE r.tenant_id = i.tenant_id AND r.id = i.id AND r.attempt = i.attempt AND r.lease_owner = \(owner)
        RETURNING r.id, r.cancel_requested
        """
    }
}

/// Work any worker does now and then: makes scheduled tasks that fell due available, and puts
/// tasks whose lease expired (their worker died or hung) back in the queue — counting the
/// attempt, so a task that kills its worker every time ends up dead instead of looping.
enum HousekeepingStatement {
    static func query(limit: Int) -> PostgresQuery {
        """
        WITH due AS (
            UPDATE tasks t SET state = 'available'
            FROM (SELECT tenant_id, id FROM tasks WHERE state = 'scheduled' AND run_at <= now()
                  ORDER BY run_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) d
            WHERE t.tenant_id = d.tenant_id AND t.id = d.id
            RETURNING t.kind
        ),
        due_woken AS (
            SELECT pg_notify('\(unescaped: QueueChannel.tasks)', string_agg(DISTINCT kind, ',')) FROM due
            HAVING count(*) > 0
        ),
        expired AS (
            DELETE FROM running_tasks r
            USING (SELECT tenant_id, id FROM running_tasks WHERE lease_expires_at < now()
                   ORDER BY lease_expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) e
            WHERE r.tenant_id = e.tenant_id AND r.id = e.id
            RETURNING r.*
        ),
        resolved AS (
            SELECT x.*, x.lease_owner AS worker, NULL::timestamptz AS started_at,
                   CASE WHEN x.cancel_requested THEN 'cancelled'
                        WHEN x.attempt >= x.max_attempts THEN 'dead'
                        ELSE 'available' END AS next_state,
                   x.attempt AS attempt_after, x.run_at AS run_at_after,
                   'lease expired: worker ' || x.lease_owner || ' stopped renewing it' AS error_after
            FROM expired x
        ),
        \(unescaped: Settle.ctes)
        SELECT (SELECT count(*) FROM due) AS promoted,
               (SELECT count(*) FROM due_woken) + (SELECT count(*) FROM woken) AS notified,
               r.id, \(unescaped: Settle.finalState) AS state
        FROM (SELECT 1) one LEFT JOIN resolved r ON true
        """
    }
}
