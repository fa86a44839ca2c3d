import Foundation
import LocalPostgres
import Logging
import Postgres
import TestSupport
import Testing

/// These tests restart a server, so each runs its own private cluster instead of the shared one.
@Suite struct RecoveryTests {
    private func withPrivateCluster(_ body: (LocalPostgresCluster) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-pg-\(UUID().uuidString.prefix(8))")
        let cluster = LocalPostgresCluster(root: folder)
        try cluster.start()
        defer {
            cluster.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        try await body(cluster)
    }

    @Test func thePoolRecoversByItselfAfterTheServerRestarts() async throws {
        try await withPrivateCluster { cluster in
            let pool = PostgresPool(configuration: PostgresConfiguration(connectionString: cluster.connectionString, maxConnections: 4))
            defer { pool.close() }
            // Fill the pool with idle connections that the restart will kill.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
                try await group.waitForAll()
            }
            let before = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self, at: 0)

            try cluster.restart()

            for _ in 0..<8 {
                let after = try await pool.query("SELECT pg_backend_pid()")[0].decode(Int32.self, at: 0)
                #expect(after != before)
            }
        }
    }

    @Test func notificationsArriveAndTheListenerReconnectsAfterARestart() async throws {
        try await withPrivateCluster { cluster in
            let configuration = PostgresConfiguration(connectionString: cluster.connectionString)
            let pool = PostgresPool(configuration: configuration)
            defer { pool.close() }
            let listener = PostgresListener(configuration: configuration, channels: ["arrears_test"], logger: Logger(label: "test"))
            defer { listener.stop() }
            var events = listener.events.makeAsyncIterator()

            #expect(await events.next() == .connected)
            try await pool.notify(channel: "arrears_test", payload: "first")
            #expect(await events.next() == .notification(channel: "arrears_test", payload: "first"))

            try cluster.restart()
            #expect(await events.next() == .connected)
            try await pool.notify(channel: "arrears_test", payload: "after restart")
            #expect(await events.next() == .notification(channel: "arrears_test", payload: "after restart"))
        }
    }

    @Test func notificationsInARolledBackTransactionAreNeverDelivered() async throws {
        struct Abort: Error {}
        try await withPrivateCluster { cluster in
            let configuration = PostgresConfiguration(connectionString: cluster.connectionString)
            let pool = PostgresPool(configuration: configuration)
            defer { pool.close() }
            let listener = PostgresListener(configuration: configuration, channels: ["arrears_test"], logger: Logger(label: "test"))
            defer { listener.stop() }
            var events = listener.events.makeAsyncIterator()
            #expect(await events.next() == .connected)

            _ = try? await pool.withTransaction { connection in
                try await connection.notify(channel: "arrears_test", payload: "rolled back")
                throw Abort()
            }
            try await pool.notify(channel: "arrears_test", payload: "committed")
            #expect(await events.next() == .notification(channel: "arrears_test", payload: "committed"))
        }
    }
}
