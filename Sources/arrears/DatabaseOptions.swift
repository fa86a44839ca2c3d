import ArgumentParser
import Foundation
import LocalPostgres
import Logging
import Postgres

/// Where the database is: DATABASE_URL (or --database-url), or else a private cluster under
/// --home that this process starts and, if it is the last user, stops. Behind a transaction-mode
/// pooler, ARREARS_DIRECT_DATABASE_URL reaches the server itself for what needs a session.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "PostgreSQL URL or conninfo string (env DATABASE_URL).",
        discussion: "Through a pooler that cannot keep prepared statements, set ARREARS_PG_PREPARED_STATEMENTS=off."))
    var databaseURL: String?

    @Option(name: .customLong("direct-database-url"), help: ArgumentHelp(
        "The server itself, past any pooler, for LISTEN, the scheduler's leader lock and migrations (env ARREARS_DIRECT_DATABASE_URL, default the database URL).",
        discussion: "Set it when the database URL goes through PgBouncer in transaction mode, which keeps no session state."))
    var directDatabaseURL: String?

    @Option(help: "Folder of the private PostgreSQL cluster used when no database URL is given (env ARREARS_HOME, default ./.arrears).")
    var home: String?

    @Option(help: "Most database connections this process opens (env ARREARS_POOL_SIZE, default 10).")
    var poolSize: Int?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `direct`: every connection of the pool goes to the server itself (migrations hold a
    /// session-level lock across transactions).
    func withPool<Result>(logger: Logger, direct: Bool = false, _ body: (PostgresPool) async throws -> Result) async throws -> Result {
        try await withConfiguration(logger: logger) { configuration in
            let pool = PostgresPool(configuration: direct ? configuration.direct : configuration)
            defer { pool.close() }
            return try await body(pool)
        }
    }

    func withConfiguration<Result>(logger: Logger, _ body: (PostgresConfiguration) async throws -> Result) async throws -> Result {
        let size = poolSize ?? environment["ARREARS_POOL_SIZE"].flatMap(Int.init) ?? 10
        guard size > 0 else { throw ValidationError("--pool-size must be at least 1") }
        let prepared = environment["ARREARS_PG_PREPARED_STATEMENTS"].map { $0 != "off" && $0 != "false" } ?? true
        if let url = databaseURL ?? environment["DATABASE_URL"], !url.isEmpty {
            let direct = (directDatabaseURL ?? environment["ARREARS_DIRECT_DATABASE_URL"]).flatMap { $0.isEmpty ? nil : $0 }
            return try await body(PostgresConfiguration(
                connectionString: url, directConnectionString: direct, maxConnections: size, usePreparedStatements: prepared))
        }
        let folder = URL(fileURLWithPath: home ?? environment["ARREARS_HOME"] ?? ".arrears")
        let cluster = LocalPostgresCluster(root: folder)
        logger.info("no DATABASE_URL: using the private PostgreSQL cluster", metadata: ["folder": "\(cluster.root.path)"])
        try cluster.start()
        defer { cluster.stop() }
        return try await body(PostgresConfiguration(
            connectionString: cluster.connectionString, maxConnections: size, usePreparedStatements: prepared))
    }
}
