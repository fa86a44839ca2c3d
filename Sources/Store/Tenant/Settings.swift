import Foundation
import Postgres

extension TenantStore {
    /// The tenant's settings; every field at its default while none were saved.
    public func settings() async throws -> TenantSettings {
        guard let row = try await query("""
            SELECT \(unescaped: TenantSettings.columns) FROM tenant_settings WHERE tenant_id = \(tenantID)
            """).first else { return TenantSettings() }
        var reader = RowReader(row)
        return try TenantSettings(&reader)
    }

    /// Applies the fields that are set and returns the settings as stored. The audit log names
    /// the fields changed, never their values (some are secrets).
    public func updateSettings(_ changes: TenantSettingsChanges) async throws -> TenantSettings {
        let assignments = changes.assignments
        guard !assignments.isEmpty else { return try await settings() }
        var insert = assignments
        insert.set("tenant_id", tenantID)
        var sql: PostgresQuery = "INSERT INTO tenant_settings"
        sql.append(insert.insert)
        sql.append(PostgresQuery(" ON CONFLICT (tenant_id) DO UPDATE SET "
                                 + assignments.excluded(except: []) + ", updated_at = now()"))
        sql.append(" RETURNING \(unescaped: TenantSettings.columns)")
        var reader = RowReader(try await query(sql)[0])
        let stored = try TenantSettings(&reader)
        try await audit(action: "settings.updated", customerID: nil,
                        details: ["fields": assignments.names.joined(separator: ",")])
        return stored
    }
}
