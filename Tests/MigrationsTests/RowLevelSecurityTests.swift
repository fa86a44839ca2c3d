import Foundation
import Postgres
import TestSupport
import Testing

/// Isolation checked in SQL as the application role, below any application code.
@Suite struct RowLevelSecurityTests {
    @Test func theApplicationRoleSeesAndWritesOnlyItsTenantsRows() async throws {
        try await withTestDatabase { pool, _ in
            let (first, second) = try await pool.query("""
                WITH t AS (INSERT INTO tenants (slug, name) VALUES ('first-co', 'First'), ('second-co', 'Second') RETURNING id, slug)
                SELECT (SELECT id FROM t WHERE slug = 'first-co'), (SELECT id FROM t WHERE slug = 'second-co')
                """)[0].decode((Int64, Int64).self)
            for tenant in [first, second] {
                try await pool.query("""
                    INSERT INTO customers (tenant_id, external_ref, name, currency) VALUES (\(tenant), 'C-1', 'Acme', 'EUR')
                    """)
            }

            let visible = try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                try await connection.query("SELECT tenant_id FROM customers").map { try $0.decode(Int64.self, at: 0) }
            }
            #expect(visible == [first])

            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                    try await connection.query("""
                        INSERT INTO customers (tenant_id, external_ref, name, currency) VALUES (\(second), 'C-2', 'Sneaky', 'EUR')
                        """)
                }
            }
            #expect(error?.sqlState == "42501")

            let updated = try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                try await connection.query("UPDATE customers SET name = 'Taken' WHERE tenant_id = \(second)").affectedRows
            }
            #expect(updated == 0)
        }
    }

    @Test func withoutATenantTheApplicationRoleSeesNothing() async throws {
        try await withTestDatabase { pool, _ in
            let tenant = try await pool.query("INSERT INTO tenants (slug, name) VALUES ('only-co', 'Only') RETURNING id")[0].decode(Int64.self, at: 0)
            try await pool.query("INSERT INTO customers (tenant_id, external_ref, name, currency) VALUES (\(tenant), 'C-1', 'Acme', 'EUR')")
            let count = try await pool.withTransaction { connection in
                try await connection.simpleQuery("SET LOCAL ROLE arrears_app")
                return try await connection.query("SELECT count(*) FROM customers")[0].decode(Int.self, at: 0)
            }
            #expect(count == 0)
        }
    }

    @Test func theApplicationRoleCannotBypassRowLevelSecurity() async throws {
        try await withTestDatabase { pool, _ in
            let (bypass, superuser) = try await pool.query("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'arrears_app'")[0]
                .decode((Bool, Bool).self)
            #expect(!bypass)
            #expect(!superuser)
            let owns = try await pool.query("""
                SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'arrears_app'
                """)[0].decode(Int.self, at: 0)
            #expect(owns == 0)
        }
    }
}
