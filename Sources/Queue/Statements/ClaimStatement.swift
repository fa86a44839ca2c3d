import Postgres

/// The claim: one statement that takes up to `limit` tasks of one kind, fairly across tenants
/// and at most one per customer, and moves them to `running_tasks` under a lease.
///
/// 1. `lanes`: the heads of up to `maxLanes` tenants' lanes of the kind, in tenant-id order
///    starting after the worker's cursor and wrapping around — a skip scan over `tasks_ready`,
///    one index descent per tenant, never a scan or a window over the queue. A head is the
///    lane's first ready task, so the next step starts exactly there instead of walking again
///    over entries of tasks claimed since the last vacuum.
/// 2. `candidates`: an equal share of the batch from each lane (round-robin between tenants;
///    the shares add up to `limit`),
///    skipping customers with a task running or being started by a concurrent claim (an
///    advisory lock), and rows other claimers hold (`SKIP LOCKED`).
/// 3. `started`: insert into `running_tasks`, in (tenant, customer) order. `ON CONFLICT DO
///    NOTHING` drops a task whose customer another claim started after this statement's snapshot
///    was taken: the unique index decides, nobody gets an error.
/// 4. `taken`: delete what started from `tasks`, by the row addresses locked in step 2.
enum ClaimStatement {
    static func query(
        kind: String, limit: Int, maxLanes: Int, after cursor: Int64, owner: String, leaseMilliseconds: Int64
    ) -> PostgresQuery {
        """
        WITH RECURSIVE after_cursor(tenant_id, urgency, run_at, id, n) AS (
            (SELECT tenant_id, -priority::int, run_at, id, 1 FROM tasks
             WHERE state = 'available' AND kind = \(kind) AND tenant_id > \(cursor)
             ORDER BY kind, tenant_id, -priority::int, run_at, id LIMIT 1)
            UNION ALL
            SELECT head.* FROM after_cursor a CROSS JOIN LATERAL (
                SELECT t.tenant_id, -t.priority::int, t.run_at, t.id, a.n + 1 FROM tasks t
                WHERE t.state = 'available' AND t.kind = \(kind) AND t.tenant_id > a.tenant_id
                ORDER BY t.kind, t.tenant_id, -t.priority::int, t.run_at, t.id LIMIT 1) head
            WHERE a.n < \(maxLanes)
        ),
        from_start(tenant_id, urgency, run_at, id, n) AS (
            (SELECT tenant_id, -priority::int, run_at, id, 1 FROM tasks
             WHERE state = 'available' AND kind = \(kind)
             ORDER BY kind, tenant_id, -priority::int, run_at, id LIMIT 1)
            UNION ALL
            SELECT head.* FROM from_start f CROSS JOIN LATERAL (
                SELECT t.tenant_id, -t.priority::int, t.run_at, t.id, f.n + 1 FROM tasks t
                WHERE t.state = 'available' AND t.kind = \(kind) AND t.tenant_id > f.tenant_id
                ORDER BY t.kind, t.tenant_id, -t.priority::int, t.run_at, t.id LIMIT 1) head
            WHERE f.tenant_id <= \(cursor) AND f.n < \(maxLanes)
        ),
        lanes AS MATERIALIZED (
            -- The batch split evenly; the first lanes in ring order take the remainder.
            SELECT ring.*, \(limit) / count(*) OVER ()
                           + CASE WHEN row_number() OVER (ORDER BY n) <= \(limit) % count(*) OVER () THEN 1 ELSE 0 END
                           AS quota
            FROM ((SELECT * FROM after_cursor
                   UNION ALL
                   SELECT tenant_id, urgency, run_at, id, n + \(maxLanes) FROM from_start WHERE tenant_id <= \(cursor))
                  LIMIT \(maxLanes)) ring
        ),
        candidates AS MATERIALIZED (
            SELECT c.*
            FROM lanes l
            CROSS JOIN LATERAL (
                SELECT t.ctid AS row_address, t.tenant_id, t.id, t.customer_id, t.kind, t.payload, t.priority,
                       t.run_at, t.attempt, t.max_attempts, t.dedupe_key, t.last_error, t.created_at
                FROM tasks t
                WHERE t.kind = \(kind) AND t.tenant_id = l.tenant_id AND t.state = 'available'
                  AND (-t.priority::int, t.run_at, t.id) >= (l.urgency, l.run_at, l.id)
                  -- A customer with a task running is skipped (OFFSET 0 keeps this a per-row probe
                  -- of the unique index, not a join). So is one that a concurrent claim is starting:
                  -- the insert below would otherwise wait for that claim to commit. The advisory
                  -- lock is transaction-scoped, in memory, no WAL; the two-key form keeps clear of
                  -- single-key advisory locks; CASE takes it only once the probe has passed.
                  AND CASE WHEN EXISTS (SELECT FROM running_tasks r
                                        WHERE r.tenant_id = t.tenant_id AND r.customer_id = t.customer_id OFFSET 0)
                           THEN false
                           ELSE t.customer_id IS NULL
                                OR pg_try_advisory_xact_lock(hashint8(t.tenant_id), hashint8(t.customer_id))
                      END
                ORDER BY t.kind, t.tenant_id, -t.priority::int, t.run_at, t.id
                LIMIT l.quota
                FOR UPDATE SKIP LOCKED
            ) c
        ),
        started AS (
            INSERT INTO running_tasks (tenant_id, id, customer_id, kind, payload, priority, run_at, attempt,
                                       max_attempts, dedupe_key, last_error, created_at, lease_owner, lease_expires_at)
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, attempt + 1,
                   max_attempts, dedupe_key, last_error, created_at, \(owner),
                   now() + \(leaseMilliseconds) * interval '1 millisecond'
            FROM candidates
            ORDER BY tenant_id, customer_id, priority DESC, run_at, id
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, id, customer_id, kind, payload, priority, run_at, created_at, attempt,
                      max_attempts, last_error
        ),
        taken AS (
            DELETE FROM tasks WHERE ctid = ANY (ARRAY(
                SELECT c.row_address FROM candidates c JOIN started s ON s.tenant_id = c.tenant_id AND s.id = c.id))
        )
        SELECT s.*, (SELECT tenant_id FROM lanes ORDER BY n DESC LIMIT 1) AS next_cursor
        FROM started s
        """
    }
}
