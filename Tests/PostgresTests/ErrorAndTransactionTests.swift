import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ErrorAndTransactionTests {
    @Test func uniqueViolationCarriesSQLStateDetailAndConstraint() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            try await pool.query("CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)")
            try await pool.query("INSERT INTO accounts VALUES (\("ap@acme.test"))")
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO accounts VALUES (\("ap@acme.test"))")
            }
            #expect(error?.sqlState == "23505")
            #expect(error?.isUniqueViolation == true)
            #expect(error?.constraint == "accounts_email_key")
            #expect(error?.detail?.contains("ap@acme.test") == true)
            // The connection that saw the error is still good for the next caller.
            #expect(try await pool.query("SELECT count(*) FROM accounts")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func aThrowingTransactionLeavesNothingBehind() async throws {
        struct Abort: Error {}
        try await withTestDatabase(template: "template0") { pool, _ in
            try await pool.query("CREATE TABLE notes (body text)")
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    try await connection.query("INSERT INTO notes VALUES (\("draft"))")
                    throw Abort()
                }
            }
            _ = try await pool.withTransaction { connection in
                try await connection.query("INSERT INTO notes VALUES (\("kept"))")
            }
            let rows = try await pool.query("SELECT body FROM notes")
            #expect(try rows.map { try $0.decode(String.self, at: 0) } == ["kept"])
        }
    }

    @Test func aFailedStatementInsideATransactionIsNotCommittedSilently() async throws {
        try await withTestDatabase(template: "template0") { pool, _ in
            try await pool.query("CREATE TABLE notes (body text NOT NULL)")
            await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try await connection.query("INSERT INTO notes VALUES (\("first"))")
                    _ = try? await connection.query("INSERT INTO notes VALUES (NULL)")
                }
            }
            #expect(try await pool.query("SELECT count(*) FROM notes")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test func tenantTransactionsSetRoleAndTenantOnlyForTheirDuration() async throws {
        try await withTestDatabase(template: "template0") { pool, database in
            let role = "arrears_test_role"
            try await pool.query("""
                DO $$ BEGIN CREATE ROLE arrears_test_role NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
                """)
            let (user, tenant) = try await pool.withTenantTransaction(tenantID: 42, role: role) { connection in
                try await connection.query("SELECT current_user::text, current_setting('app.tenant_id')")[0]
                    .decode((String, String).self)
            }
            #expect(user == role)
            #expect(tenant == "42")
            let after = try await pool.query("SELECT current_user::text, coalesce(current_setting('app.tenant_id', true), '')")[0]
                .decode((String, String).self)
            #expect(after.0 != role)
            #expect(after.1 == "")
        }
    }

    @Test func aTenantTransactionForAMissingRoleFailsAndLeavesTheConnectionUsable() async throws {
        try await withTestDatabase(template: "template0", maxConnections: 1) { pool, _ in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTenantTransaction(tenantID: 7, role: "no_such_role") { connection in
                    try await connection.query("SELECT 1")
                }
            }
            #expect(error?.sqlState == "22023")
            let backToOwnRole = try await pool.query("SELECT current_user = session_user")[0].decode(Bool.self, at: 0)
            #expect(backToOwnRole)
        }
    }

    @Test func anUnreachableServerGivesAConnectionError() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(PostgresConfiguration(
                connectionString: "host=/nonexistent-socket-dir port=5999 dbname=x connect_timeout=2"))
        }
        #expect(error?.isConnectionFailure == true)
    }
}
