import ArgumentParser
import Foundation
import Logging
import Migrations

struct MigrateCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations, each in its own transaction.",
        discussion: """
            Migrations are the numbered files in Schema/, compiled into this binary. Re-running applies nothing;
            a migration edited after it was applied is refused.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Apply the migrations in this folder instead of the ones built in.")
    var schemaDir: String?

    @Flag(help: "Only check that the database is current; exit non-zero if it is not.")
    var check = false

    func run() async throws {
        let logger = Logger(label: "arrears.migrate")
        let migrations = try schemaDir.map { try Migration.load(from: URL(fileURLWithPath: $0)) } ?? Migration.embedded()
        // Direct: the migration lock is held by the session across the migrations' transactions.
        try await database.withPool(logger: logger, direct: true) { pool in
            let migrator = Migrator(pool: pool, logger: logger)
            if check {
                try await migrator.verifyCurrent(migrations)
                print("schema is current (\(migrations.count) migrations)")
                return
            }
            let applied = try await migrator.migrate(migrations)
            if applied.isEmpty {
                print("schema is current (\(migrations.count) migrations); nothing to apply")
            } else {
                print("applied \(applied.count) migration(s): \(applied.map(\.fileName).joined(separator: ", "))")
            }
        }
    }
}
