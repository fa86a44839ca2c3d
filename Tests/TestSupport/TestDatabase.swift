import Foundation
import Postgres

/// A database of its own for one test, cloned from a template so tests can run in parallel
/// without seeing each other's rows. The test command (Tests/run.sh) starts the server, puts
/// its address in DATABASE_URL and migrates `ARREARS_TEMPLATE_DATABASE` once.
public struct TestDatabase: Sendable {
    public let name: String
    public let connectionString: String

    /// The server the test command started.
    public static var serverURL: String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            fatalError("DATABASE_URL is not set: run the tests with `bash Tests/run.sh`")
        }
        return url
    }

    /// The migrated template, or nil to start from an empty database.
    public static var migratedTemplate: String {
        ProcessInfo.processInfo.environment["ARREARS_TEMPLATE_DATABASE"] ?? "arrears_template"
    }

    /// Creates a database copied from `template` (`template0` gives an empty one).
    public static func create(template: String = migratedTemplate) async throws -> TestDatabase {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let admin = try await PostgresConnection.connect(PostgresConfiguration(connectionString: serverURL))
        try await admin.simpleQuery("CREATE DATABASE \(quotedIdentifier(String(name))) TEMPLATE \(quotedIdentifier(template))")
        let configuration = PostgresConfiguration(connectionString: serverURL).withDatabase(String(name))
        return TestDatabase(name: String(name), connectionString: configuration.connectionString)
    }

    public func configuration(maxConnections: Int = 8) -> PostgresConfiguration {
        PostgresConfiguration(connectionString: connectionString, applicationName: "arrears-test", maxConnections: maxConnections)
    }

    public func drop() async throws {
        let admin = try await PostgresConnection.connect(PostgresConfiguration(connectionString: Self.serverURL))
        try await admin.simpleQuery("DROP DATABASE IF EXISTS \(quotedIdentifier(name)) WITH (FORCE)")
    }
}

/// Runs `body` with a pool on a fresh database and drops the database afterwards.
public func withTestDatabase<Result: Sendable>(
    template: String = TestDatabase.migratedTemplate, maxConnections: Int = 8,
    _ body: (PostgresPool, TestDatabase) async throws -> Result
) async throws -> Result {
    let database = try await TestDatabase.create(template: template)
    let pool = PostgresPool(configuration: database.configuration(maxConnections: maxConnections))
    do {
        let result = try await body(pool, database)
        pool.close()
        try await database.drop()
        return result
    } catch {
        pool.close()
        try? await database.drop()
        throw error
    }
}
