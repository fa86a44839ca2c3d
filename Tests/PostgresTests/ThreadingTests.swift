import Dispatch
import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

@Suite struct ThreadingTests {
    /// Swift's cooperative pool has one thread per core. If libpq's blocking calls ran on the
    /// calling task's thread, a handful of slow queries would freeze every other task in the
    /// process (the HTTP server among them) until they finished. The tasks here prefer an executor
    /// with a single thread — the cooperative pool of a one-core machine — so a slow query that
    /// blocked its caller would stall the plain tasks on any machine, however many cores it has.
    @Test func slowQueriesDoNotStallOtherTasks() async throws {
        try await withTestDatabase(template: "template0", maxConnections: 4) { pool, _ in
            let executor = SerialTaskExecutor()
            let slowQueries = 3
            // Longer than a loaded machine needs to get through the checks; cancelled at the end.
            let slowQuery = "SELECT pg_sleep(60.5)"
            let sleepers = Task(executorPreference: executor) {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<slowQueries { group.addTask { _ = try? await pool.query(PostgresQuery(slowQuery)) } }
                }
            }
            let monitor = try await PostgresConnection.connect(PostgresConfiguration(connectionString: TestDatabase.serverURL))
            let countSleeping = "SELECT count(*) FROM pg_stat_activity WHERE query = '\(slowQuery)' AND state = 'active'"
            let cancel = "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = '\(slowQuery)'"
            do {
                try await eventually("every slow query is running on the server", timeout: .seconds(30)) {
                    try await monitor.query(PostgresQuery(countSleeping))[0].decode(Int.self, at: 0) == slowQueries
                }
                // Plain tasks on the same thread still run, and finish while the queries are still sleeping.
                let sum = Mutex<Int?>(nil)
                let plain = Task(executorPreference: executor) {
                    let total = await withTaskGroup(of: Int.self) { group in
                        for value in 1...100 { group.addTask { value } }
                        return await group.reduce(0, +)
                    }
                    sum.withLock { $0 = total }
                }
                try await eventually("plain tasks finish beside the slow queries", timeout: .seconds(20)) {
                    sum.withLock { $0 } != nil
                }
                await plain.value
                let stillSleeping = try await monitor.query(PostgresQuery(countSleeping))[0].decode(Int.self, at: 0)
                #expect(sum.withLock { $0 } == 5050)
                #expect(stillSleeping == slowQueries)
            } catch {
                _ = try? await monitor.query(PostgresQuery(cancel))
                await sleepers.value
                throw error
            }
            _ = try await monitor.query(PostgresQuery(cancel))
            await sleepers.value
        }
    }
}

/// Runs every job on one serial dispatch queue: one thread at a time, like a one-core pool.
private final class SerialTaskExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "arrears.tests.one-thread")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
