import Foundation
import Postgres

/// The enqueue statements: a whole batch in one INSERT from arrays, with one notification for
/// the batch (delivered when the surrounding transaction commits), and the look-up of the tasks
/// already waiting under the dedupe keys of those it skipped.
enum EnqueueStatement {
    /// Validates and binds `tasks`. Returns the inserted tasks' ids with their tenant and dedupe
    /// key; ids are drawn in input order, so tasks without a key match their ids in that order.
    static func insert(_ tasks: [NewTask]) throws -> PostgresQuery {
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
        // A plain INSERT … SELECT: no materialised input, no sort, no join back to the input.
        return """
            WITH inserted AS (
                INSERT INTO tasks (tenant_id, id, customer_id, kind, payload, priority, run_at, state, max_attempts, dedupe_key)
                OVERRIDING SYSTEM VALUE
                SELECT i.tenant_id, nextval('tasks_id_seq'), i.customer_id, i.kind, i.payload, i.priority::smallint,
                       coalesce(timestamptz 'epoch' + i.run_at_us * interval '1 microsecond', now()),
                       CASE WHEN i.run_at_us IS NULL OR timestamptz 'epoch' + i.run_at_us * interval '1 microsecond' <= now()
                            THEN 'available' ELSE 'scheduled' END,
                       i.max_attempts, i.dedupe_key
                FROM unnest(\(tenants)::bigint[], \(customers)::bigint[], \(kinds)::text[], \(payloads)::jsonb[],
                            \(priorities)::int[], \(runAts)::bigint[], \(maxAttempts)::int[], \(keys)::text[])
                     AS i(tenant_id, customer_id, kind, payload, priority, run_at_us, max_attempts, dedupe_key)
                ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                RETURNING id, tenant_id, dedupe_key, state, kind
            ),
            woken AS (
                SELECT pg_notify('\(unescaped: QueueChannel.tasks)', string_agg(DISTINCT kind, ',')) FROM inserted
                WHERE state = 'available' HAVING count(*) > 0
            )
            SELECT id, tenant_id, dedupe_key, (SELECT count(*) FROM woken) AS notified FROM inserted
            """
    }

    /// The waiting tasks that hold these (tenant, dedupe key) pairs.
    static func waiting(_ keys: [DedupeKey]) -> PostgresQuery {
        """
        SELECT t.id, t.tenant_id, t.dedupe_key
          FROM unnest(\(keys.map(\.tenantID))::bigint[], \(keys.map(\.key))::text[]) AS k(tenant_id, dedupe_key)
          JOIN tasks AS t ON t.dedupe_key IS NOT NULL AND t.tenant_id = k.tenant_id AND t.dedupe_key = k.dedupe_key
        """
    }
}

/// A dedupe key is unique per tenant.
struct DedupeKey: Hashable {
    let tenantID: Int64
    let key: String
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
