import Foundation
import Postgres

extension TenantStore {
    /// Nil while the tenant has not set one (the standard policy applies).
    public func policy() async throws -> StoredPolicy? {
        guard let row = try await query("""
            SELECT document, version, updated_at FROM policies WHERE tenant_id = \(tenantID)
            """).first else { return nil }
        let (document, version, updatedAt) = try row.decode((PostgresJSON, Int, Date).self)
        return StoredPolicy(document: document.text, version: version, updatedAt: updatedAt)
    }

    /// Stores a validated policy document; each replacement raises the version by one.
    public func replacePolicy(document: String) async throws -> StoredPolicy {
        let row = try await query("""
            INSERT INTO policies (tenant_id, document) VALUES (\(tenantID), \(PostgresJSON(document)))
            ON CONFLICT (tenant_id) DO UPDATE SET document = EXCLUDED.document, version = policies.version + 1, updated_at = now()
            RETURNING document, version, updated_at
            """)[0]
        let (stored, version, updatedAt) = try row.decode((PostgresJSON, Int, Date).self)
        try await audit(action: "policy.updated", customerID: nil, details: ["version": String(version)])
        return StoredPolicy(document: stored.text, version: version, updatedAt: updatedAt)
    }
}
