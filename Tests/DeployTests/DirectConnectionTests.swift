import Foundation
import Postgres
import TestSupport
import Testing

/// Behind PgBouncer in transaction mode, sessions that must outlive a transaction (LISTEN, the
/// scheduler's leader lock) go to the server directly. Here the direct URL names another role, so
/// `pg_stat_activity` shows which sessions took which way.
@Suite struct DirectConnectionTests {
    @Test func listenersAndTheLeaderLockUseTheDirectURLAndEverythingElseThePooledOne() async throws {
        let database = try await TestDatabase.create()
        let role = "direct_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let admin = try await PostgresConnection.connect(PostgresConfiguration(connectionString: TestDatabase.serverURL))
        try await admin.simpleQuery("CREATE ROLE \(quotedIdentifier(String(role))) LOGIN")
        defer {
            Task {
                try? await database.drop()
                try? await admin.simpleQuery("DROP ROLE IF EXISTS \(quotedIdentifier(String(role)))")
            }
        }
        let direct = "\(database.connectionString) user=\(role)"

        let replica = try await Replica.serve(database, ["--direct-database-url", direct])
        defer { replica.child.stop() }
        let worker = try ChildProcess([ArrearsCommand.binary.path, "worker", "--database-url", database.connectionString],
                                      environment: ["ARREARS_DIRECT_DATABASE_URL": direct])
        defer { worker.stop() }
        _ = try await worker.waitForLine(timeout: .seconds(60)) { $0.contains("worker ready") }

        let pool = PostgresPool(configuration: database.configuration(maxConnections: 1))
        defer { pool.close() }
        let sessions = { () async throws -> [(String, String, String)] in
            try await pool.query("""
                SELECT coalesce(usename::text, ''), application_name, coalesce(query, '') FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()
                """).map { try $0.decode((String, String, String).self) }
        }
        // The leader lock, the scheduler's LISTEN arrears_review and the worker's LISTEN arrears_tasks.
        _ = try await eventually(within: .seconds(30), "the scheduler leads and both listen on the direct URL") { () -> Bool? in
            let direct = try await sessions().filter { $0.0 == role }
            let leaderLock = direct.contains { $0.1.hasPrefix("arrears scheduler ") }
            let listens = Set(direct.filter { $0.2.hasPrefix("LISTEN") }.map(\.2))
            return leaderLock && listens == [#"LISTEN "arrears_review""#, #"LISTEN "arrears_tasks""#] ? true : nil
        }
        #expect(try await request("\(replica.base)/readyz").status == 200)
        let pooled = try await sessions().filter { $0.0 == "postgres" && $0.1 == "arrears" }
        #expect(!pooled.isEmpty, "queries still go through the database URL")
        #expect(!pooled.contains { $0.2.hasPrefix("LISTEN") })
    }
}
