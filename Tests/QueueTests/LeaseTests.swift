import Foundation
import Postgres
@testable import Queue
import Testing
import TestSupport

@Suite("Leases and outcomes")
struct LeaseTests {
    @Test("a worker that lost its lease cannot complete the task another worker now runs")
    func fencedCompletion() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo"))
            let first = try await driver.claim(owner: "worker-a")
            try await driver.expireLeases()
            #expect(try await driver.housekeeping() == [task.id: "available"])
            let second = try await driver.claim(owner: "worker-b")
            #expect(second.map(\.attempt) == [2])

            // worker-a finishes late: nothing changes.
            #expect(try await driver.report([(first[0], .succeeded)], owner: "worker-a").isEmpty)
            #expect(try await driver.state(of: task.id).state == .running)
            // Even the same worker cannot report an attempt that is not the current one.
            #expect(try await driver.report([(first[0], .succeeded)], owner: "worker-b").isEmpty)

            #expect(try await driver.report([(second[0], .succeeded)], owner: "worker-b") == [task.id: "succeeded"])
            let done = try await driver.state(of: task.id)
            #expect(done.state == .succeeded)
            #expect(done.attempt == 2)
            #expect(done.worker == "worker-b")
        }
    }

    @Test("an expired lease on the last attempt makes the task dead, with the reason kept")
    func expiredOnLastAttempt() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo", maxAttempts: 1))
            _ = try await driver.claim()
            try await driver.expireLeases()
            #expect(try await driver.housekeeping() == [task.id: "dead"])
            let dead = try await driver.state(of: task.id)
            #expect(dead.state == .dead)
            #expect(dead.lastError?.contains("lease expired") == true)
        }
    }

    @Test("a failure waits for its retry time, counts an attempt, and the last one makes the task dead")
    func retriesThenDead() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo", maxAttempts: 2))
            let first = try await driver.claim()
            let retryAt = Date().addingTimeInterval(3600)
            #expect(try await driver.report([(first[0], .failed(error: "timeout", retryAt: retryAt))]) == [task.id: "scheduled"])
            let waiting = try await driver.state(of: task.id)
            #expect(waiting.state == .scheduled)
            #expect(waiting.attempt == 1)
            #expect(waiting.lastError == "timeout")
            #expect(abs(waiting.runAt.timeIntervalSince(retryAt)) < 0.001)
            #expect(try await driver.claim().isEmpty)

            // Fall due: housekeeping makes it available and the next claim runs attempt 2.
            try await pool.query("UPDATE tasks SET run_at = now() - interval '1 second' WHERE id = \(task.id)")
            try await driver.housekeeping()
            let second = try await driver.claim()
            #expect(second.map(\.attempt) == [2])
            #expect(second.first?.lastError == "timeout")
            #expect(try await driver.report([(second[0], .failed(error: "timeout again", retryAt: retryAt))]) == [task.id: "dead"])
            let dead = try await driver.state(of: task.id)
            #expect(dead.state == .dead)
            #expect(dead.attempt == 2)
            #expect(dead.lastError == "timeout again")
        }
    }

    @Test("a snooze or a release does not use up an attempt")
    func snoozeAndRelease() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "demo", maxAttempts: 1))
            let run = try await driver.claim()
            let promiseDate = Date().addingTimeInterval(86_400)
            #expect(try await driver.report([(run[0], .snoozed(until: promiseDate))]) == [task.id: "scheduled"])
            let snoozed = try await driver.state(of: task.id)
            #expect(snoozed.attempt == 0)
            #expect(abs(snoozed.runAt.timeIntervalSince(promiseDate)) < 0.001)

            try await pool.query("UPDATE tasks SET run_at = now(), state = 'available' WHERE id = \(task.id)")
            let again = try await driver.claim()
            #expect(try await driver.report([(again[0], .released)]) == [task.id: "available"])
            #expect(try await driver.state(of: task.id).attempt == 0)
            #expect(try await driver.claim().map(\.attempt) == [1])
        }
    }

    @Test("renewal extends only leases the worker still holds")
    func renewal() async throws {
        try await withTestDatabase { pool, _ in
            let driver = QueueDriver(pool: pool)
            _ = try await driver.queue.enqueue([NewTask(tenantID: 1, customerID: 1, kind: "demo"),
                                                NewTask(tenantID: 1, customerID: 2, kind: "demo")])
            let mine = try await driver.claim(owner: "worker-a", lease: .seconds(1))
            try await pool.query("UPDATE running_tasks SET lease_owner = 'worker-b' WHERE id = \(mine[1].id)")
            let rows = try await driver.connection.query(RenewStatement.query(mine.map(Lease.init), owner: "worker-a", leaseMilliseconds: 60_000))
            #expect(try rows.map { try $0.decode(Int64.self, at: 0) } == [mine[0].id])
            let remaining = try await driver.count(
                "SELECT (extract(epoch FROM lease_expires_at - now()))::int FROM running_tasks WHERE id = \(mine[0].id)")
            #expect(remaining > 30)
        }
    }

    @Test("backoff doubles per attempt up to its cap, and jitter only shortens it")
    func backoffSchedule() {
        let backoff = Backoff(base: .seconds(10), maximum: .seconds(300), jitter: 0.5)
        #expect(backoff.delay(afterAttempt: 1, random: 0) == .seconds(10))
        #expect(backoff.delay(afterAttempt: 2, random: 0) == .seconds(20))
        #expect(backoff.delay(afterAttempt: 3, random: 0) == .seconds(40))
        #expect(backoff.delay(afterAttempt: 10, random: 0) == .seconds(300))
        #expect(backoff.delay(afterAttempt: 3, random: 0.999_999) > .seconds(20))
        for attempt in 1...12 {
            let delay = backoff.delay(afterAttempt: attempt)
            let full = min(10 * pow(2, Double(attempt - 1)), 300)
            #expect(delay >= .seconds(full / 2) && delay <= .seconds(full))
        }
    }
}
