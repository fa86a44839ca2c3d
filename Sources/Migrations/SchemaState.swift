import Postgres

/// Where a database's schema stands against the migrations a binary knows.
public enum SchemaState: Sendable, Equatable {
    case current
    /// The database lacks migrations this binary has: `arrears migrate` has not run yet.
    case behind(pending: [String])
    /// The database has migrations this binary does not know: a newer release migrated it.
    case ahead(unknown: [String])
}

extension Migrator {
    /// Compares the applied migrations with `migrations`. Throws if an applied migration was
    /// edited since: then binary and database disagree on what the schema is.
    public func schemaState(_ migrations: [Migration]) async throws -> SchemaState {
        let applied = try await pool.withConnection { try await appliedChecksums(on: $0) }
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, record) in applied.sorted(by: { $0.key < $1.key }) {
            if let migration = known[version], migration.checksum != record.checksum {
                throw MigrationError.edited(fileName: migration.fileName, appliedChecksum: record.checksum,
                                            currentChecksum: migration.checksum)
            }
        }
        let unknown = applied.filter { known[$0.key] == nil }.sorted { $0.key < $1.key }.map(\.value.fileName)
        if !unknown.isEmpty { return .ahead(unknown: unknown) }
        let pending = migrations.filter { applied[$0.version] == nil }.map(\.fileName)
        return pending.isEmpty ? .current : .behind(pending: pending)
    }

    /// Throws unless every migration this binary knows is applied, unedited. Later migrations
    /// are allowed: in a rolling deploy the new release migrates (additively) while replicas of
    /// the old one still serve, and they must stay ready until they are replaced. A replica
    /// *starting* against such a schema is refused instead (see `arrears serve`).
    public func verifyServable(_ migrations: [Migration]) async throws {
        if case .behind(let pending) = try await schemaState(migrations) {
            throw MigrationError.pending(pending)
        }
    }
}
