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

    /// A clone under root's own home (0700) is out of the postgres user's reach: the cluster
    /// then lives in that user's home instead, and the folder still works as its handle.
    @Test func aFolderThePostgresUserCannotReachStillGetsACluster() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-private-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let cluster = LocalPostgresCluster(root: parent.appendingPathComponent("clone/.arrears"))
        defer {
            try? FileManager.default.removeItem(at: cluster.serverFolder)
            try? FileManager.default.removeItem(at: parent)
        }
        try cluster.start()
        defer { cluster.stop() }
        if geteuid() == 0 { #expect(!cluster.serverFolder.path.hasPrefix(parent.path)) }
        let connection = try await PostgresConnection.connect(PostgresConfiguration(connectionString: cluster.connectionString))
        #expect(try await connection.query("SELECT current_database()")[0].decode(String.self, at: 0) == "arrears")
    }

    /// The postmaster's process id, which tells whether two connections reach the same server.
    private func backendParent(_ connectionString: String) async throws -> Int {
        let connection = try await PostgresConnection.connect(PostgresConfiguration(connectionString: connectionString))
        return try await connection.query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")[0].decode(Int.self, at: 0)
    }
}
