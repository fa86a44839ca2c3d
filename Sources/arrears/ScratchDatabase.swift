import Postgres

/// A database of its own on the configured server, for a command that fills it from nothing (the
/// demo, the benchmarks): recreated on each run, dropped when asked.
enum ScratchDatabase {
    /// Drops `name` if it exists (disconnecting whoever uses it) and creates it empty.
    static func recreate(_ name: String, on server: PostgresConfiguration) async throws -> PostgresConfiguration {
        try await drop(name, on: server)
        let admin = try await PostgresConnection.connect(server)
        try await admin.simpleQuery("CREATE DATABASE \(quotedIdentifier(name))")
        return server.withDatabase(name)
    }

    static func drop(_ name: String, on server: PostgresConfiguration) async throws {
        let admin = try await PostgresConnection.connect(server)
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(quotedIdentifier(name)) WITH (FORCE)")
    }

    static func exists(_ name: String, on server: PostgresConfiguration) async throws -> Bool {
        let admin = try await PostgresConnection.connect(server)
        return try await !admin.query("SELECT FROM pg_database WHERE datname = \(name)").isEmpty
    }
}
