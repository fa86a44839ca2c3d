import Foundation
import Postgres

/// The enqueue statement: a whole batch in one INSERT from arrays, with one notification for
/// the batch (delivered when the surrounding transaction commits).
enum EnqueueStatement {
    /// Validates and binds `tasks`; rows come back in input order.
    static func query(_ tasks: [NewTask]) throws -> PostgresQuery {
        var tenants: [Int64] = [], customers: [Int64?] = [], kinds: [String] = [], payloads: [String] = []
        var priorities: [Int32] = [], runAts: [Int64?] = [], maxAttempts: [Int32] = [], keys: [String?] = []
        for task in tasks {
            guard !task.kind.isEmpty, task.kind.count <= 100 else {
                throw QueueError.invalidTask("kind must be 1 to 100 characters, got \"\(task.kind)\"")
            }
            guard task.maxAttempts >= 1, let attempts = Int32(exactly: task.maxAttempts) else {
                throw QueueError.invalidTask("maxAttempts must be at least 1, got \(task.maxAttempts)")
            }
            tenants.append(task.tenantID)
            customers.append(task.customerID)
            kinds.append(task.kind)
            payloads.append(task.payload.text)
            priorities.append(Int32(task.priority))
            runAts.append(task.runAt.map(Microseconds.since1970))
            maxAttempts.append(attempts)
            keys.append(task.dedupeKey)
        }
        return """
            WITH input AS (
                SELECT i.ord, nextval('tasks_id_seq') AS id, i.tenant_id, i.customer_id, i.kind, i.payload,
                       i.priority::smallint AS priority,
                       coalesce(timestamptz 'epoch' + i.run_at_us * interval '1 microsecond', now()) AS run_at,
                       i.max_attempts, i.dedupe_key
                FROM unnest(\(tenants)::bigint[], \(customers)::bigint[], \(kinds)::text[], \(payloads)::jsonb[],
                            \(priorities)::int[], \(runAts)::bigint[], \(maxAttempts)::int[], \(keys)::text[])
                     WITH ORDINALITY AS i(tenant_id, customer_id, kind, payload, priority, run_at_us, max_attempts,
                                          dedupe_key, ord)
            ),
            inserted AS (
                INSERT INTO tasks (tenant_id, id, customer_id, kind, payload, priority, run_at, state, max_attempts, dedupe_key)
                OVERRIDING SYSTEM VALUE
                SELECT tenant_id, id, customer_id, kind, payload, priority, run_at,
                       CASE WHEN run_at <= now() THEN 'available' ELSE 'scheduled' END, max_attempts, dedupe_key
                FROM input ORDER BY ord
                ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING tenant_id, id, dedupe_key, state, kind
            ),
            woken AS (
                SELECT pg_notify('\(unescaped: QueueChannel.tasks)', string_agg(DISTINCT kind, ',')) FROM inserted
                WHERE state = 'available' HAVING count(*) > 0
            )
            SELECT coalesce(fresh.id, same_batch.id, waiting.id) AS id, fresh.id IS NULL AS deduplicated,
                   (SELECT count(*) FROM woken) AS notified
            FROM input i
            LEFT JOIN inserted fresh ON fresh.id = i.id
            -- Plain joins, not per-row subqueries: their cost estimates stay far below
            -- jit_above_cost, so a caller's transaction never pays for JIT compilation.
            LEFT JOIN (SELECT tenant_id, dedupe_key, min(id) AS id FROM inserted WHERE dedupe_key IS NOT NULL
                       GROUP BY tenant_id, dedupe_key) same_batch
                   ON fresh.id IS NULL AND same_batch.tenant_id = i.tenant_id AND same_batch.dedupe_key = i.dedupe_key
            -- Only a task that was neither inserted nor a duplicate within the batch looks for the
            -- one that waits: the condition on the outer row is checked once per row, before any
            -- index is read (OFFSET 0 keeps the subquery from being flattened into a join).
            LEFT JOIN LATERAL (
                SELECT waiting.id FROM tasks waiting
                WHERE fresh.id IS NULL AND same_batch.id IS NULL AND waiting.dedupe_key IS NOT NULL
                  AND waiting.tenant_id = i.tenant_id AND waiting.dedupe_key = i.dedupe_key
                OFFSET 0) waiting ON true
            ORDER BY i.ord
            """
    }
}

/// Notification channels of the queue.
public enum QueueChannel {
    /// Tasks became available; the payload lists their kinds, comma-separated.
    public static let tasks = "arrears_tasks"
}

enum Microseconds {
    static func since1970(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
