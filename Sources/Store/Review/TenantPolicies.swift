import Dunning
import Foundation
import Postgres
import Synchronization

/// A tenant's dunning policy as a review sees it: the stored document read, or why it could not be.
public enum TenantPolicy: Sendable, Hashable {
    case readable(Policy)
    /// The document stored in `policies` no longer reads as a policy (the API validates before it
    /// stores, so this means a hand edit or an older binary); its customers are not acted on.
    case unreadable(problem: String)
}

/// Tenants' policies, decoded once per stored version: a review of a million customers touches every
/// tenant in every batch, and decoding a document costs far more than asking for its version.
final class PolicyCache: Sendable {
    private struct Entry {
        var version: Int
        var updatedAt: Date
        var policy: TenantPolicy
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    func policies(for tenantIDs: [Int64], on connection: PostgresConnection) async throws -> [Int64: TenantPolicy] {
        let stored = try await connection.query("""
            SELECT tenant_id, version, updated_at FROM policies WHERE tenant_id = ANY(\(tenantIDs))
            """).map { try $0.decode((Int64, Int, Date).self) }
        let stale = entries.withLock { entries in
            stored.filter { tenant, version, updatedAt in
                entries[tenant].map { $0.version != version || $0.updatedAt != updatedAt } ?? true
            }.map(\.0)
        }
        if !stale.isEmpty {
            let documents = try await connection.query("""
                SELECT tenant_id, version, updated_at, document FROM policies WHERE tenant_id = ANY(\(stale))
                """).map { try $0.decode((Int64, Int, Date, PostgresJSON).self) }
            entries.withLock { entries in
                for (tenant, version, updatedAt, document) in documents {
                    entries[tenant] = Entry(version: version, updatedAt: updatedAt, policy: Self.read(document))
                }
            }
        }
        let withDocument = Set(stored.map(\.0))
        return entries.withLock { entries in
            var policies: [Int64: TenantPolicy] = [:]
            for tenant in tenantIDs {
                policies[tenant] = withDocument.contains(tenant) ? entries[tenant]?.policy ?? .readable(.standard) : .readable(.standard)
            }
            return policies
        }
    }

    private static func read(_ document: PostgresJSON) -> TenantPolicy {
        do {
            return .readable(try Policy.decode(json: Data(document.text.utf8)))
        } catch {
            return .unreadable(problem: error.problems.map(\.description).joined(separator: "; "))
        }
    }
}
