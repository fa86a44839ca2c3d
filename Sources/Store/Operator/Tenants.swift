import Foundation
import Postgres

extension Store {
    /// Creates a tenant and its first admin key, whose secret is returned this once.
    public func createTenant(slug: String, name: String, timeZone: String = "UTC") async throws -> (Tenant, IssuedAPIKey) {
        try await asOwner { connection in
            let rows = try await connection.query("""
                INSERT INTO tenants (slug, name, time_zone) VALUES (\(slug), \(name), \(timeZone))
                RETURNING \(unescaped: Tenant.columns)
                """)
            var reader = RowReader(rows[0])
            let tenant = try Tenant(&reader)
            let key = try await Self.issueKey(tenantID: tenant.id, role: .admin, name: "first admin key", on: connection)
            return (tenant, key)
        }
    }

    public func tenants(status: String? = nil, page: PageRequest) async throws -> Page<Tenant> {
        try await asOwner { connection in
            var query: PostgresQuery = "SELECT \(unescaped: Tenant.columns) FROM tenants WHERE true"
            if let status { query.append(" AND status = \(status)") }
            query.appendPage(page)
            let rows = try await connection.query(query)
            return Page(fetched: try rows.map { row in
                var reader = RowReader(row)
                return try Tenant(&reader)
            }, limit: page.limit)
        }
    }

    public func tenant(id: Int64) async throws -> Tenant? {
        try await asOwner { connection in
            try await connection.query("SELECT \(unescaped: Tenant.columns) FROM tenants WHERE id = \(id)").first.map { row in
                var reader = RowReader(row)
                return try Tenant(&reader)
            }
        }
    }

    public func tenant(slug: String) async throws -> Tenant? {
        try await asOwner { connection in
            try await connection.query("SELECT \(unescaped: Tenant.columns) FROM tenants WHERE slug = \(slug)").first.map { row in
                var reader = RowReader(row)
                return try Tenant(&reader)
            }
        }
    }

    /// `active` or `suspended`; a suspended tenant's keys are refused.
    public func setTenantStatus(id: Int64, status: String) async throws -> Tenant? {
        try await asOwner { connection in
            try await connection.query("""
                UPDATE tenants SET status = \(status), updated_at = now() WHERE id = \(id)
                RETURNING \(unescaped: Tenant.columns)
                """).first.map { row in
                var reader = RowReader(row)
                return try Tenant(&reader)
            }
        }
    }
}
