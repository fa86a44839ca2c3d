import Postgres

extension TenantStore {
    /// The tenant this transaction acts for.
    public func currentTenant() async throws -> Tenant {
        try await query("SELECT \(unescaped: Tenant.columns) FROM tenants WHERE id = \(tenantID)").records()[0]
    }
}
