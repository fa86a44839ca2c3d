import Foundation
import Postgres
@testable import Queue
import Testing
import TestSupport

@Suite("Claim")
struct ClaimTests {
    @Test("concurrent claimers never start two tasks of one customer, and never fail for it")
    func onePerCustomer() async throws {
        try await withTestDatabase(maxConnections: 12) { pool, _ in
            let driver = QueueDriver(pool: pool)
            // 5 customers with 40 tasks each, and 20 tasks without a customer.
            var tasks = (0..<200).map { NewTask(tenantID: 1, customerID: Int64($0 % 5), kind: "demo") }
            tasks += (0..<20).map { _ in NewTask(tenantID: 1, customerID: nil, kind: "demo") }
            _ = try await driver.queue.enqueue(tasks)

            let claimed = try await withThrowingTaskGroup(of: [ClaimedTask].self) { group in
                for claimer in 0..<8 {
                    group.addTask {
                        let session = SessionConnection(configuration: pool.configuration)
                        var mine: [ClaimedTask] = []
                        for _ in 0..<5 {
                            mine += try await driver.claim(owner: "worker-\(claimer)", limit: 20, on: session)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let withCustomer = claimed.compactMap(\.customerID)
            #expect(withCustomer.count == 5)
            #expect(Set(withCustomer).count == 5)
            #expect(claimed.filter { $0.customerID == nil }.count == 20)
            #expect(Set(claimed.map(\.id)).count == claimed.count)
            #expect(try await driver.count("SELECT count(*) FROM running_tasks") == 25)
        }
    }

    @Test("a task scheduled for later does not hold back its customer's ready tasks")
    func futureTaskDoesNotBlock() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let later = try await driver.queue.enqueue(
                NewTask(tenantID: 1, customerID: 7, kind: "demo", priority: 100, runAt: Date().addingTimeInterval(3600)))
            let now = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 7, kind: "demo"))
            let claimed = try await driver.claim()
            #expect(claimed.map(\.id) == [now.id])
            #expect(try await driver.state(of: later.id).state == .scheduled)
        }
    }

    @Test("within a tenant's tasks of a kind: higher priority first, then earlier run_at")
    func order() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let base = Date().addingTimeInterval(-60)
            let ids = try await driver.queue.enqueue([
                NewTask(tenantID: 1, customerID: 1, kind: "demo", runAt: base.addingTimeInterval(2)),
                NewTask(tenantID: 1, customerID: 2, kind: "demo", runAt: base.addingTimeInterval(1)),
                NewTask(tenantID: 1, customerID: 3, kind: "demo", priority: 5, runAt: base.addingTimeInterval(3)),
            ]).map(\.id)
            var order: [Int64] = []
            for _ in 0..<3 { order += try await driver.claim(limit: 1).map(\.id) }
            #expect(order == [ids[2], ids[1], ids[0]])
        }
    }

    @Test("a claim takes only the kind it asks for")
    func kinds() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            _ = try await driver.queue.enqueue([
                NewTask(tenantID: 1, customerID: 1, kind: "mail"), NewTask(tenantID: 1, customerID: 2, kind: "triage"),
                NewTask(tenantID: 2, customerID: 3, kind: "triage"), NewTask(tenantID: 2, customerID: 4, kind: "escalation"),
            ])
            let claimed = try await driver.claim(kind: "triage")
            #expect(claimed.map(\.kind) == ["triage", "triage"])
            #expect(Set(claimed.map(\.tenantID)) == [1, 2])
        }
    }

    @Test("one claim shares its batch between tenants, however many tasks each has queued")
    func roundRobin() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            var tasks = (0..<500).map { NewTask(tenantID: 1, customerID: Int64($0), kind: "demo") }
            tasks += (0..<5).map { NewTask(tenantID: 2, customerID: Int64($0), kind: "demo") }
            tasks += (0..<5).map { NewTask(tenantID: 3, customerID: Int64($0), kind: "demo") }
            _ = try await driver.queue.enqueue(tasks)
            let claimed = try await driver.claim(limit: 9)
            #expect(Dictionary(grouping: claimed, by: \.tenantID).mapValues(\.count) == [1: 3, 2: 3, 3: 3])
            // Never more than asked for: the first lanes take the remainder.
            let uneven = try await driver.claim(limit: 4)
            #expect(Dictionary(grouping: uneven, by: \.tenantID).mapValues(\.count) == [1: 2, 2: 1, 3: 1])
        }
    }

    @Test("cancel removes a waiting task and stops a running one; redrive revives a dead one")
    func cancelAndRedrive() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let queue = driver.queue
            let waiting = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo", runAt: Date().addingTimeInterval(600)))
            #expect(try await queue.cancel(tenantID: 1, id: waiting.id) == .cancelled)
            #expect(try await driver.state(of: waiting.id).state == .cancelled)
            #expect(try await queue.cancel(tenantID: 1, id: waiting.id) == .alreadyFinished(.cancelled))
            #expect(try await queue.cancel(tenantID: 1, id: 999_999) == .notFound)

            let running = try await queue.enqueue(NewTask(tenantID: 1, customerID: 2, kind: "demo"))
            let claimed = try await driver.claim()
            #expect(try await queue.cancel(tenantID: 1, id: running.id) == .stopping)
            // The handler then fails (it was cancelled): the task ends cancelled, not retried.
            let states = try await driver.report([(claimed[0], .failed(error: "cancelled", retryAt: Date()))])
            #expect(states[running.id] == "cancelled")

            let doomed = try await queue.enqueue(NewTask(tenantID: 1, customerID: 3, kind: "demo", maxAttempts: 1))
            let run = try await driver.claim()
            _ = try await driver.report([(run[0], .failed(error: "smtp down", retryAt: Date()))])
            let dead = try await driver.state(of: doomed.id)
            #expect(dead.state == .dead)
            #expect(dead.lastError == "smtp down")
            #expect(try await queue.redrive(tenantID: 1, ids: [doomed.id]) == [doomed.id])
            let revived = try await driver.state(of: doomed.id)
            #expect(revived.state == .available)
            #expect(revived.attempt == 0)
            #expect(try await driver.claim().map(\.id) == [doomed.id])
        }
    }
}
