import Foundation
import Logging
import Migrations
import Postgres
import TestSupport
import Testing

@Suite struct MigratorTests {
    let logger = Logger(label: "test")

    @Test func aFreshDatabaseGetsTheWholeSchemaAndASecondRunChangesNothing() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let migrator = Migrator(pool: pool, logger: logger)
            let migrations = try Migration.embedded()
            let applied = try await migrator.migrate(migrations)
            #expect(applied.map(\.fileName) == migrations.map(\.fileName))
            #expect(try await migrator.migrate(migrations).isEmpty)
            try await migrator.verifyCurrent(migrations)

            let tables = try await pool.query("""
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity ORDER BY 1
                """).map { try $0.decode(String.self, at: 0) }
            for table in ["tenants", "api_keys", "customers", "contacts", "invoices", "payments", "tasks"] {
                #expect(tables.contains(table), "\(table) should exist with row-level security on")
            }
        }
    }

    @Test func everyTenantTableLeadsItsPrimaryKeyWithTenantID() async throws {
        try await withTestDatabase { pool, _ in
            let offenders = try await pool.query("""
                SELECT c.relname::text
                FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
                WHERE i.indisprimary AND n.nspname = 'public'
                  AND c.relname NOT IN ('tenants', 'schema_migrations') AND a.attname <> 'tenant_id'
                """).map { try $0.decode(String.self, at: 0) }
            #expect(offenders == [])
        }
    }

    @Test func anEditedMigrationIsRefusedWithAClearMessage() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("0001_notes.sql")
            try "CREATE TABLE notes (body text);\n".write(to: file, atomically: true, encoding: .utf8)
            let migrator = Migrator(pool: pool, logger: logger)
            try await migrator.migrate(Migration.load(from: folder))

            try "CREATE TABLE notes (body text, author text);\n".write(to: file, atomically: true, encoding: .utf8)
            let error = await #expect(throws: MigrationError.self) {
                try await migrator.migrate(Migration.load(from: folder))
            }
            #expect(error?.description.contains("0001_notes.sql was edited after it was applied") == true)
            let columns = try await pool.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes'")[0]
                .decode(Int.self, at: 0)
            #expect(columns == 1)
        }
    }

    @Test func aFailingMigrationLeavesNoTraceAndStopsTheRun() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try "CREATE TABLE first (id int);".write(to: folder.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
            try "CREATE TABLE second (id int); SELECT 1/0;".write(to: folder.appendingPathComponent("0002_broken.sql"), atomically: true, encoding: .utf8)
            try "CREATE TABLE third (id int);".write(to: folder.appendingPathComponent("0003_third.sql"), atomically: true, encoding: .utf8)
            let migrator = Migrator(pool: pool, logger: logger)
            await #expect(throws: MigrationError.self) { try await migrator.migrate(Migration.load(from: folder)) }
            let tables = try await pool.query("SELECT to_regclass('first') IS NOT NULL, to_regclass('second') IS NOT NULL, to_regclass('third') IS NOT NULL")[0]
                .decode((Bool, Bool, Bool).self)
            #expect(tables == (true, false, false))
        }
    }

    @Test func aDatabaseNewerThanTheBinaryIsRefused() async throws {
        try await withTestDatabase { pool, _ in
            try await pool.query("INSERT INTO schema_migrations (version, file_name, checksum) VALUES (9999, '9999_future.sql', 'x')")
            let migrator = Migrator(pool: pool, logger: logger)
            let error = await #expect(throws: MigrationError.self) { try await migrator.verifyCurrent(Migration.embedded()) }
            #expect(error?.description.contains("9999_future.sql") == true)
        }
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
