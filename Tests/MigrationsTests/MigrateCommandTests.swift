import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct MigrateCommandTests {
    @Test func migrateCreatesTheSchemaThenReportsNothingToDo() async throws {
        let database = try await TestDatabase.create(template: "template0")
        defer { Task { try? await database.drop() } }
        let first = try ArrearsCommand.run(["migrate", "--database-url", database.connectionString])
        #expect(first.status == 0)
        #expect(first.output.contains("applied"))
        let second = try ArrearsCommand.run(["migrate", "--database-url", database.connectionString])
        #expect(second.status == 0)
        #expect(second.output.contains("nothing to apply"))
    }

    @Test func versionAndHelpNeedNoDatabase() throws {
        let version = try ArrearsCommand.run(["version"], environment: ["DATABASE_URL": "host=/nonexistent dbname=none"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("arrears "))
        let help = try ArrearsCommand.run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("migrate"))
    }

    @Test func anUnreachableDatabaseIsAOneLineErrorAndNonZeroExit() throws {
        let result = try ArrearsCommand.run(["migrate", "--database-url", "host=/nonexistent-dir port=1 dbname=x connect_timeout=2"])
        #expect(result.status != 0)
        #expect(result.errors.contains("Error:"))
    }
}
