import Foundation
import Logging
import Postgres
import Queue
import Testing
import TestSupport

@Suite("Enqueue")
struct EnqueueTests {
    let logger = Logger(label: "test.queue")

    @Test("a batch is one statement; ids come back in order; future tasks wait as scheduled")
    func batchEnqueue() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            let later = Date().addingTimeInterval(3600)
            let results = try await queue.enqueue([
                NewTask(tenantID: 1, customerID: 10, kind: "demo.a", payload: PostgresJSON(#"{"n":1}"#)),
                NewTask(tenantID: 1, customerID: nil, kind: "demo.b", priority: 5),
                NewTask(tenantID: 2, customerID: 20, kind: "demo.a", runAt: later, maxAttempts: 2),
            ])
            #expect(results.count == 3)
            #expect(results.allSatisfy { !$0.deduplicated })
            #expect(Set(results.map(\.id)).count == 3)
            let rows = try await pool.query("SELECT id, state, payload::text, max_attempts FROM tasks ORDER BY id")
            let decoded = try rows.map { try $0.decode((Int64, String, String, Int).self) }
            #expect(decoded.map(\.0) == results.map(\.id))
            #expect(decoded.map(\.1) == ["available", "available", "scheduled"])
            #expect(decoded[0].2 == #"{"n": 1}"#)
            #expect(decoded[2].3 == 2)
        }
    }

    @Test("a second enqueue with the same key while the first waits returns the first")
    func dedupe() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            let first = try await queue.enqueue(NewTask(tenantID: 1, customerID: 10, kind: "demo", dedupeKey: "review-10"))
            let again = try await queue.enqueue(NewTask(tenantID: 1, customerID: 10, kind: "demo", dedupeKey: "review-10"))
            let otherTenant = try await queue.enqueue(NewTask(tenantID: 2, customerID: 10, kind: "demo", dedupeKey: "review-10"))
            #expect(!first.deduplicated)
            #expect(again == EnqueuedTask(id: first.id, deduplicated: true))
            #expect(otherTenant.id != first.id && !otherTenant.deduplicated)

            // Within one batch too.
            let batch = try await queue.enqueue([
                NewTask(tenantID: 3, customerID: 1, kind: "demo", dedupeKey: "k"),
                NewTask(tenantID: 3, customerID: 1, kind: "demo", dedupeKey: "k"),
            ])
            #expect(batch[1] == EnqueuedTask(id: batch[0].id, deduplicated: true))
            let count = try await pool.query("SELECT count(*) FROM tasks").first!.decode(Int.self, at: 0)
            #expect(count == 3)
        }
    }

    @Test("in a mixed batch each task gets its own id: unkeyed ones, a key repeated within it, a key already waiting")
    func mixedBatch() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            let waiting = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo", payload: PostgresJSON(#"{"n":0}"#),
                                                          dedupeKey: "held"))
            func task(_ n: Int, key: String? = nil, tenant: Int64 = 1) -> NewTask {
                NewTask(tenantID: tenant, customerID: Int64(n), kind: "demo", payload: PostgresJSON(#"{"n":\#(n)}"#), dedupeKey: key)
            }
            let results = try await queue.enqueue([
                task(1), task(2, key: "k"), task(3), task(4, key: "held"), task(5, key: "k"), task(6), task(7, key: "k", tenant: 2),
            ])
            #expect(results.map(\.deduplicated) == [false, false, false, true, true, false, false])
            #expect(results[3].id == waiting.id)
            #expect(results[4].id == results[1].id)
            // Each id names the task that was asked for.
            for (n, result) in zip([1, 2, 3, 6, 7], [results[0], results[1], results[2], results[5], results[6]]) {
                let payload = try await pool.query("SELECT payload->>'n' FROM tasks WHERE id = \(result.id)")[0].decode(String.self, at: 0)
                #expect(payload == String(n))
            }
            #expect(try await pool.query("SELECT count(*) FROM tasks")[0].decode(Int.self, at: 0) == 6)
        }
    }

    @Test("enqueue inside a transaction that rolls back leaves no task")
    func transactionalEnqueue() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    _ = try await queue.enqueue([NewTask(tenantID: 1, customerID: 1, kind: "demo")], on: connection)
                    throw Abort()
                }
            }
            let none = try await pool.query("SELECT count(*) FROM tasks").first!.decode(Int.self, at: 0)
            #expect(none == 0)

            // Committed inside a tenant transaction, under row-level security.
            let kept = try await pool.withTenantTransaction(tenantID: 7, role: "arrears_app") { connection in
                try await queue.enqueue([NewTask(tenantID: 7, customerID: 1, kind: "demo")], on: connection)
            }
            let stored = try await pool.query("SELECT tenant_id FROM tasks WHERE id = \(kept[0].id)").first!.decode(Int64.self, at: 0)
            #expect(stored == 7)
        }
    }

    @Test("a task of another tenant cannot be enqueued inside a tenant transaction")
    func rowLevelSecurity() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            await #expect(throws: PostgresError.self) {
                try await pool.withTenantTransaction(tenantID: 7, role: "arrears_app") { connection in
                    try await queue.enqueue([NewTask(tenantID: 8, customerID: 1, kind: "demo")], on: connection)
                }
            }
        }
    }

    @Test("bad tasks are refused before reaching the database")
    func validation() async throws {
        try await withTestDatabase { pool, _ in
            let queue = TaskQueue(pool: pool, logger: logger)
            await #expect(throws: QueueError.self) {
                try await queue.enqueue(NewTask(tenantID: 1, customerID: nil, kind: ""))
            }
            await #expect(throws: QueueError.self) {
                try await queue.enqueue(NewTask(tenantID: 1, customerID: nil, kind: "demo", maxAttempts: 0))
            }
        }
    }
}
