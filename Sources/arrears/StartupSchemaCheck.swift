import Logging
import Migrations
import Postgres

/// What `serve` and `worker` do about the schema when they start. A schema newer than the binary
/// is refused: its code may not read what the newer release writes, and in a rolling deploy an
/// old replica that restarts should stay down rather than serve beside the new ones.
enum StartupSchemaCheck {
    /// Throws a one-line `CommandFailure` for a newer schema or an edited migration. Returns the
    /// state, or nil when the database cannot be reached yet (the process starts anyway: its
    /// connections recover by themselves and `/readyz` reports the database).
    static func run(_ command: String, pool: PostgresPool, migrations: [Migration], logger: Logger) async throws -> SchemaState? {
        let state: SchemaState
        do {
            state = try await Migrator(pool: pool, logger: logger).schemaState(migrations)
        } catch let error as MigrationError {
            throw CommandFailure("arrears \(command) cannot start: \(error)")
        } catch {
            logger.warning("cannot check the database schema yet", metadata: ["error": "\(error)"])
            return nil
        }
        if case .ahead(let unknown) = state {
            throw CommandFailure("arrears \(command) cannot start: the database schema is newer than this binary "
                + "(\(ArrearsVersion.current)), it has \(unknown.joined(separator: ", ")) that this binary does not know; "
                + "run a release of arrears that has them")
        }
        return state
    }

    /// For the worker: also waits, checking every `interval`, while the schema is behind, since
    /// its handlers would fail on tables and columns `arrears migrate` has yet to add.
    static func waitUntilCurrent(_ command: String, pool: PostgresPool, migrations: [Migration], logger: Logger,
                                 interval: Duration = .seconds(2)) async throws {
        var announced = false
        while case .behind(let pending)? = try await run(command, pool: pool, migrations: migrations, logger: logger) {
            if !announced {
                logger.warning("the database schema is behind this binary; waiting for `arrears migrate`",
                               metadata: ["pending": "\(pending.joined(separator: ","))"])
                announced = true
            }
            try await Task.sleep(for: interval)
        }
    }
}
