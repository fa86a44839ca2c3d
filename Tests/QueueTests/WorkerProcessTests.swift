import Foundation
import Postgres
import Queue
import Testing
import TestSupport

/// Real `arrears worker` processes against a real database.
@Suite("Worker processes", .timeLimit(.minutes(3)))
struct WorkerProcessTests {
    @Test("several workers over thousands of tasks: every task runs once, a customer never runs two at once")
    func manyWorkers() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            // Every worker is up before the work arrives, so each gets a share even on a slow machine.
            var workers: [WorkerProcess] = []
            for _ in 0..<3 {
                workers.append(try await WorkerProcess.start(database, ["--concurrency", "6", "--batch", "10"]))
            }
            let tasks = (0..<2400).map { index in
                NewTask(tenantID: Int64(1 + index % 4), customerID: Int64(index % 25), kind: "diagnostic.sleep",
                        payload: PostgresJSON(#"{"milliseconds": 2}"#))
            }
            _ = try await driver.queue.enqueue(tasks)
            try await eventually("all tasks finished", timeout: .seconds(120)) {
                try await driver.count("SELECT count(*) FROM task_history") == tasks.count
            }
            workers.forEach { $0.child.stop() }

            #expect(try await driver.count("SELECT count(*) FROM task_history WHERE state = 'succeeded' AND attempt = 1") == tasks.count)
            let runs = workers.flatMap(\.runs)
            #expect(runs.count == tasks.count)
            #expect(Set(runs.map(\.task)).count == tasks.count)
            #expect(workers.allSatisfy { !$0.runs.isEmpty })
            // Runs of one customer never overlap, across all processes.
            for (_, sameCustomer) in Dictionary(grouping: runs, by: { "\($0.tenant)/\($0.customer)" }) {
                let ordered = sameCustomer.sorted { $0.started < $1.started }
                for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                    #expect(later.started >= earlier.finished, "tasks \(earlier.task) and \(later.task) of one customer overlapped")
                }
            }
        }
    }

    @Test("a tenant with a big backlog does not hold back tenants with a few tasks")
    func fairnessUnderSkew() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let payload = PostgresJSON(#"{"milliseconds": 1}"#)
            // The big tenant's backlog is queued first; FIFO would run every small task last.
            _ = try await driver.queue.enqueue((0..<600).map {
                NewTask(tenantID: 1, customerID: Int64($0), kind: "diagnostic.sleep", payload: payload)
            })
            _ = try await driver.queue.enqueue((0..<20).map {
                NewTask(tenantID: Int64(2 + $0 % 4), customerID: Int64($0), kind: "diagnostic.sleep", payload: payload)
            })
            let worker = try await WorkerProcess.start(database, ["--concurrency", "2", "--batch", "2"])
            try await eventually("all tasks finished", timeout: .seconds(120)) {
                try await driver.count("SELECT count(*) FROM task_history") == 620
            }
            worker.child.stop()
            // Position of each small tenant's task in the order tasks started.
            let latest = try await driver.count("""
                SELECT max(position) FROM (
                    SELECT tenant_id, row_number() OVER (ORDER BY started_at) AS position FROM task_history) ranked
                WHERE tenant_id <> 1
                """)
            #expect(latest <= 60, "the last small-tenant task started as number \(latest) of 620")
        }
    }

    @Test("a worker killed mid-task: another worker finishes the task after the lease")
    func killedWorker() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let doomed = try await WorkerProcess.start(database, ["--lease", "2s", "--concurrency", "1"])
            // Long enough that a loaded machine still sees it running before the kill.
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.sleep",
                                                              payload: PostgresJSON(#"{"milliseconds": 6000}"#)))
            try await eventually("the first worker runs the task") {
                try await driver.count("SELECT count(*) FROM running_tasks") == 1
            }
            doomed.child.signal(SIGKILL)
            _ = await doomed.child.exitStatus()
            let survivor = try await WorkerProcess.start(database, ["--lease", "2s"])
            try await eventually("the task finished", timeout: .seconds(90)) {
                try await driver.state(of: task.id).state == .succeeded
            }
            let done = try await driver.state(of: task.id)
            #expect(done.attempt == 2)
            #expect(done.worker == (try survivor.id))
            #expect(survivor.runs.map(\.task) == [task.id])
            survivor.child.stop()
        }
    }

    @Test("SIGTERM: running handlers get the grace period, then unfinished tasks go back to the queue")
    func gracefulShutdown() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let worker = try await WorkerProcess.start(database, ["--concurrency", "4", "--shutdown-grace", "1500ms"])
            let short = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.sleep",
                                                               payload: PostgresJSON(#"{"milliseconds": 500}"#)))
            let long = try await driver.queue.enqueue((2...4).map {
                NewTask(tenantID: 1, customerID: Int64($0), kind: "diagnostic.sleep", payload: PostgresJSON(#"{"milliseconds": 60000}"#))
            })
            // The short task may already be done when the last long one starts on a busy machine.
            try await eventually("the long tasks run and the short one has started") {
                let shortState = try await driver.state(of: short.id).state
                var longRunning = 0
                for task in long where try await driver.state(of: task.id).state == .running { longRunning += 1 }
                return longRunning == 3 && (shortState == .running || shortState == .succeeded)
            }
            worker.child.signal(SIGTERM)
            #expect(await worker.child.exitStatus() == 0)

            #expect(try await driver.state(of: short.id).state == .succeeded)
            for task in long {
                let released = try await driver.state(of: task.id)
                #expect(released.state == .available)
                #expect(released.attempt == 0)
            }
            #expect(try await driver.count("SELECT count(*) FROM running_tasks") == 0)
            #expect(!worker.logs("giving unfinished tasks back to the queue").isEmpty)
        }
    }

    @Test("SIGTERM: a cancelled handler that runs on keeps its customer; nothing of that customer starts before it returns")
    func cancelledHandlerKeepsItsCustomer() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let journal = folder.path("journal.jsonl")
            let stopping = try await WorkerProcess.start(database, ["--journal", journal, "--shutdown-grace", "300ms", "--cancel-grace", "60s"])
            // Goes on for seconds after it is cancelled, as a handler stuck in an uninterruptible call does.
            let stubborn = try await driver.queue.enqueue(NewTask(
                tenantID: 1, customerID: 7, kind: "diagnostic.sleep",
                payload: PostgresJSON(#"{"milliseconds": 10000, "ignore_cancellation": true}"#)))
            try await eventually("the first worker runs it") { try await driver.state(of: stubborn.id).state == .running }
            let next = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 7, kind: "diagnostic.noop"))
            let other = try await WorkerProcess.start(database, ["--journal", journal])
            defer { other.child.stop() }

            stopping.child.signal(SIGTERM)
            #expect(await stopping.child.exitStatus() == 0)
            try await eventually("the customer's next task ran") { try await driver.state(of: next.id).state == .succeeded }

            #expect(!stopping.logs("giving unfinished tasks back to the queue").isEmpty, "the handler was still running when cancelled")
            let runs = try JournalRun.read(journal).filter { $0.customer == 7 }
            let first = try #require(runs.first { $0.pid == stopping.child.pid })
            let returned = try #require(first.ended, "the worker waited for its handler to return before exiting")
            let later = runs.filter { $0.pid != stopping.child.pid }
            #expect(later.map(\.task) == [next.id], "the cancelled task was not started again elsewhere")
            for run in later {
                #expect(run.started >= returned, "task \(run.task) started while the cancelled handler still ran")
            }
            // It finished its work after all: recorded as done, not run again.
            let done = try await driver.state(of: stubborn.id)
            #expect(done.state == .succeeded && done.attempt == 1)
        }
    }

    @Test("SIGTERM: a handler still running after --cancel-grace keeps its task; the task runs again once its lease expires")
    func handlerOutlastingTheCancelGrace() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let journal = folder.path("journal.jsonl")
            let stopping = try await WorkerProcess.start(database, ["--journal", journal, "--shutdown-grace", "100ms", "--cancel-grace", "300ms"])
            let stubborn = try await driver.queue.enqueue(NewTask(
                tenantID: 1, customerID: 7, kind: "diagnostic.sleep",
                payload: PostgresJSON(#"{"milliseconds": 5000, "ignore_cancellation": true}"#)))
            try await eventually("the first worker runs it") { try await driver.state(of: stubborn.id).state == .running }
            let owner = try stopping.id

            stopping.child.signal(SIGTERM)
            #expect(await stopping.child.exitStatus() == 0)
            #expect(!stopping.logs("handlers ignored cancellation; exiting without giving their tasks back, which run again once their leases expire").isEmpty)
            // Not given back: nobody may start it while the old handler might still run. The lease (30 s) holds it.
            let kept = try await driver.state(of: stubborn.id)
            #expect(kept.state == .running && kept.worker == owner)
            #expect(try JournalRun.read(journal).first?.ended == nil, "the handler never returned: it ended with its process")

            // Its lease runs out as it would by itself, and another worker runs the task: nothing is lost.
            try await driver.expireLeases()
            let other = try await WorkerProcess.start(database, ["--journal", journal])
            defer { other.child.stop() }
            try await eventually("the task ran again", timeout: .seconds(90)) { try await driver.state(of: stubborn.id).state == .succeeded }
            let done = try await driver.state(of: stubborn.id)
            let otherID = try other.id
            #expect(done.attempt == 2 && done.worker == otherID)
        }
    }

    @Test("an idle worker is woken by the enqueue's notification")
    func notifyWakesIdleWorker() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            // Polling once an hour: only a notification can bring the task to this worker.
            let worker = try await WorkerProcess.start(database, ["--poll-interval", "1h"])
            let warmUp = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.noop"))
            try await eventually("the first task ran") { try await driver.state(of: warmUp.id).state == .succeeded }
            // Let the worker settle into its idle wait.
            try await Task.sleep(for: .milliseconds(300))
            let task = try await driver.queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.noop"))
            try await eventually("the notified worker ran it", timeout: .seconds(30)) {
                try await driver.state(of: task.id).state == .succeeded
            }
            worker.child.stop()
        }
    }

    @Test("a failing task backs off between attempts, then is dead with its last error")
    func backoffThenDead() async throws {
        try await withTestDatabase { pool, database in
            let driver = QueueDriver(pool: pool)
            let worker = try await WorkerProcess.start(database, ["--retry-base", "300ms", "--poll-interval", "50ms"])
            let task = try await driver.queue.enqueue(NewTask(
                tenantID: 1, customerID: 1, kind: "diagnostic.fail", payload: PostgresJSON(#"{"message": "mailbox full"}"#),
                maxAttempts: 3))
            try await eventually("the task is dead", timeout: .seconds(30)) {
                try await driver.state(of: task.id).state == .dead
            }
            worker.child.stop()
            let dead = try await driver.state(of: task.id)
            #expect(dead.attempt == 3)
            #expect(dead.lastError == "mailbox full")
            // Attempts started at least half the nominal backoff apart: 300 ms, then 600 ms.
            let failures = worker.logs("task failed").compactMap { $0["time"] as? String }.compactMap(Self.instant)
            #expect(failures.count == 3)
            if failures.count == 3 {
                #expect(failures[1].timeIntervalSince(failures[0]) >= 0.15)
                #expect(failures[2].timeIntervalSince(failures[1]) >= 0.3)
            }
        }
    }

    private static func instant(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
