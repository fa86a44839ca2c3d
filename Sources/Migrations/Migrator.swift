import Foundation
import Logging
import Postgres

/// Applies migrations in order, each in its own transaction, and records each with its
/// checksum. Concurrent migrators (several replicas starting at once) queue on an advisory lock.
public struct Migrator: Sendable {
    let pool: PostgresPool
    let logger: Logger

    /// Arbitrary, fixed key for the migration advisory lock.
    static let lockKey: Int64 = 0x6172_7265_6172_73

    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    /// Applies what is pending and returns it; applying nothing is a valid outcome.
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [Migration] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
            do {
                let applied = try await apply(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                throw error
            }
        }
    }

    /// Throws unless the database has exactly the migrations this binary knows, unedited: a
    /// server must not run against a schema older or newer than it was built for.
    public func verifyCurrent(_ migrations: [Migration]) async throws {
        let applied = try await pool.withConnection { try await appliedChecksums(on: $0) }
        try verify(applied: applied, against: migrations)
        let pending = migrations.filter { applied[$0.version] == nil }
        guard pending.isEmpty else { throw MigrationError.pending(pending.map(\.fileName)) }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [Migration] {
        try await connection.simpleQuery("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                file_name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try await appliedChecksums(on: connection)
        try verify(applied: applied, against: migrations)
        var done: [Migration] = []
        for migration in migrations where applied[migration.version] == nil {
            logger.info("applying migration", metadata: ["migration": "\(migration.fileName)"])
            do {
                try await connection.withTransaction { transaction in
                    try await transaction.simpleQuery(migration.sql)
                    try await transaction.query("""
                        INSERT INTO schema_migrations (version, file_name, checksum)
                        VALUES (\(migration.version), \(migration.fileName), \(migration.checksum))
                        """)
                }
            } catch {
                throw MigrationError.failed(fileName: migration.fileName, underlying: error)
            }
            done.append(migration)
        }
        return done
    }

    private func verify(applied: [Int: (fileName: String, checksum: String)], against migrations: [Migration]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = known[version] else {
                throw MigrationError.unknownAppliedVersion(version: version, fileName: record.fileName)
            }
            guard migration.checksum == record.checksum else {
                throw MigrationError.edited(fileName: migration.fileName, appliedChecksum: record.checksum,
                                            currentChecksum: migration.checksum)
            }
        }
    }

    func appliedChecksums(on connection: PostgresConnection) async throws -> [Int: (fileName: String, checksum: String)] {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].decode(Bool.self, at: 0)
        guard exists else { return [:] }
        var applied: [Int: (fileName: String, checksum: String)] = [:]
        for row in try await connection.query("SELECT version, file_name, checksum FROM schema_migrations") {
            let (version, fileName, checksum) = try row.decode((Int, String, String).self)
            applied[version] = (fileName, checksum)
        }
        return applied
    }
}
