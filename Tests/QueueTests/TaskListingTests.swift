import Foundation
import Postgres
@testable import Queue
import Testing
import TestSupport

@Suite("Task listing")
struct TaskListingTests {
    /// Tenant 1 gets a scheduled, an available, a running, a succeeded and a dead task; tenant 2 one of its own.
    static func populate(_ driver: QueueDriver) async throws -> [String: Int64] {
        let queue = driver.queue
        let scheduled = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "outreach",
                                                        runAt: Date().addingTimeInterval(3600), dedupeKey: "outreach:1"))
        let succeeded = try await queue.enqueue(NewTask(tenantID: 1, customerID: 2, kind: "outreach"))
        let dead = try await queue.enqueue(NewTask(tenantID: 1, customerID: 3, kind: "outreach", maxAttempts: 1))
        let finished = try await driver.claim(kind: "outreach")
        _ = try await driver.report(finished.map { task in
            (task, task.id == dead.id ? .failed(error: "smtp down", retryAt: Date()) : .succeeded)
        })
        let running = try await queue.enqueue(NewTask(tenantID: 1, customerID: 4, kind: "reply_triage"))
        _ = try await driver.claim(owner: "worker-b", kind: "reply_triage")
        let available = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "reply_triage",
                                                        payload: PostgresJSON(#"{"message_id": 7}"#)))
        let foreign = try await queue.enqueue(NewTask(tenantID: 2, customerID: 9, kind: "outreach"))
        return ["scheduled": scheduled.id, "succeeded": succeeded.id, "dead": dead.id, "running": running.id,
                "available": available.id, "foreign": foreign.id]
    }

    func list(_ pool: PostgresPool, _ filter: TaskFilter = TaskFilter(), limit: Int = 20, after: Int64? = nil) async throws -> TaskPage {
        try await pool.withTenantTransaction(tenantID: 1, role: "arrears_app") { connection in
            try await QueueDriver(pool: pool).queue.tasks(tenantID: 1, matching: filter, limit: limit, startingAfter: after, on: connection)
        }
    }

    @Test("a tenant's tasks from all three tables, newest first, under row-level security")
    func listsAcrossTables() async throws {
        try await withTestDatabase { pool, _ in
            let ids = try await Self.populate(QueueDriver(pool: pool))
            let page = try await list(pool)
            #expect(page.tasks.map(\.id) == [ids["available"]!, ids["running"]!, ids["dead"]!, ids["succeeded"]!, ids["scheduled"]!])
            #expect(!page.hasMore)
            let states = Dictionary(uniqueKeysWithValues: page.tasks.map { ($0.id, $0.state) })
            #expect(states[ids["scheduled"]!] == .scheduled)
            #expect(states[ids["running"]!] == .running)
            #expect(states[ids["dead"]!] == .dead)
            #expect(states[ids["succeeded"]!] == .succeeded)

            let running = try #require(page.tasks.first { $0.state == .running })
            #expect(running.worker == "worker-b")
            #expect(running.leaseExpiresAt.map { $0 > Date() } == true)
            #expect(running.startedAt != nil && running.finishedAt == nil)
            #expect(!running.cancelRequested)
            let dead = try #require(page.tasks.first { $0.state == .dead })
            #expect(dead.lastError == "smtp down")
            #expect(dead.finishedAt != nil && dead.leaseExpiresAt == nil)
            #expect(page.tasks.first { $0.state == .scheduled }?.dedupeKey == "outreach:1")
            #expect(page.tasks.first { $0.id == ids["available"]! }?.payload.text == #"{"message_id": 7}"#)
        }
    }

    @Test("filters by state, kind and customer; pages walk downwards by id")
    func filtersAndPages() async throws {
        try await withTestDatabase { pool, _ in
            let ids = try await Self.populate(QueueDriver(pool: pool))
            #expect(try await list(pool, TaskFilter(state: .running)).tasks.map(\.id) == [ids["running"]!])
            #expect(try await list(pool, TaskFilter(state: .available)).tasks.map(\.id) == [ids["available"]!])
            #expect(try await list(pool, TaskFilter(state: .dead)).tasks.map(\.id) == [ids["dead"]!])
            #expect(try await list(pool, TaskFilter(state: .cancelled)).tasks.isEmpty)
            #expect(try await list(pool, TaskFilter(kind: "reply_triage")).tasks.map(\.id) == [ids["available"]!, ids["running"]!])
            #expect(try await list(pool, TaskFilter(customerID: 1)).tasks.map(\.id) == [ids["available"]!, ids["scheduled"]!])
            #expect(try await list(pool, TaskFilter(kind: "outreach", state: .succeeded, customerID: 2)).tasks.map(\.id) == [ids["succeeded"]!])

            let first = try await list(pool, limit: 2)
            #expect(first.tasks.map(\.id) == [ids["available"]!, ids["running"]!])
            #expect(first.hasMore)
            let second = try await list(pool, limit: 2, after: first.tasks.last!.id)
            #expect(second.tasks.map(\.id) == [ids["dead"]!, ids["succeeded"]!])
            #expect(second.hasMore)
            let last = try await list(pool, limit: 2, after: second.tasks.last!.id)
            #expect(last.tasks.map(\.id) == [ids["scheduled"]!])
            #expect(!last.hasMore)
        }
    }

    @Test("another tenant's task is not found, even by id")
    func otherTenantsTasksAreInvisible() async throws {
        try await withTestDatabase { pool, _ in
            let ids = try await Self.populate(QueueDriver(pool: pool))
            let queue = QueueDriver(pool: pool).queue
            let seen = try await pool.withTenantTransaction(tenantID: 1, role: "arrears_app") { connection in
                (try await queue.task(tenantID: 1, id: ids["foreign"]!, on: connection),
                 try await queue.task(tenantID: 1, id: ids["dead"]!, on: connection))
            }
            #expect(seen.0 == nil)
            #expect(seen.1?.state == .dead)
            #expect(try await list(pool).tasks.allSatisfy { $0.tenantID == 1 })
        }
    }
}
