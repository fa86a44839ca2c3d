import Foundation
import LocalPostgres
import Postgres
import Testing

@Suite struct LocalClusterTests {
    @Test func aSecondUserOfTheFolderReusesTheClusterAndTheLastOneStopsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-shared-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = LocalPostgresCluster(root: folder)
        let second = LocalPostgresCluster(root: folder)
        try first.start()
        let serverPID = try await backendParent(first.connectionString)

        try second.start()
        #expect(try await backendParent(second.connectionString) == serverPID)

        first.stop()
        // Still serving the second user.
        #expect(try await backendParent(second.connectionString) == serverPID)

        second.stop()
        await #expect(throws: PostgresError.self) { try await backendParent(second.connectionString) }
    }

    /// The postmaster's process id, which tells whether two connections reach the same server.
    private func backendParent(_ connectionString: String) async throws -> Int {
        let connection = try await PostgresConnection.connect(PostgresConfiguration(connectionString: connectionString))
        return try await connection.query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")[0].decode(Int.self, at: 0)
    }
}
