import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ThreadingTests {
    /// Swift's cooperative pool has one thread per core. If libpq's blocking calls ran on it,
    /// a handful of slow queries would freeze every other task in the process (the HTTP server
    /// among them) until they finished.
    @Test func slowQueriesDoNotStallOtherTasks() async throws {
        try await withTestDatabase(template: "template0", maxConnections: 12) { pool, _ in
            let slowQueries = 3 * ProcessInfo.processInfo.activeProcessorCount
            // Longer than a loaded machine needs to get through the checks; cancelled at the end.
            let slowQuery = "SELECT pg_sleep(60.5)"
            let sleepers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<slowQueries { group.addTask { _ = try? await pool.query(PostgresQuery(slowQuery)) } }
                }
            }
            let monitor = try await PostgresConnection.connect(PostgresConfiguration(connectionString: TestDatabase.serverURL))
            let countSleeping = "SELECT count(*) FROM pg_stat_activity WHERE query = '\(slowQuery)' AND state = 'active'"
            // Wait until every slow query is running on the server.
            var sleeping = 0
            while sleeping < slowQueries {
                sleeping = try await monitor.query(PostgresQuery(countSleeping))[0].decode(Int.self, at: 0)
            }
            // Plain tasks still run, and finish while the queries are still sleeping.
            let sum = await withTaskGroup(of: Int.self) { group in
                for value in 1...100 { group.addTask { value } }
                return await group.reduce(0, +)
            }
            let stillSleeping = try await monitor.query(PostgresQuery(countSleeping))[0].decode(Int.self, at: 0)
            #expect(sum == 5050)
            #expect(stillSleeping == slowQueries)
            let cancel = "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = '\(slowQuery)'"
            _ = try await monitor.query(PostgresQuery(cancel))
            await sleepers.value
        }
    }
}
