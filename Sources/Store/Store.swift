import Foundation
import Postgres

/// Tenant-scoped persistence of the domain. Every statement of the domain is written here, so
/// the HTTP handlers, the CLI and the agents never write SQL.
///
/// Operator work (tenants, API keys, authenticating a key before its tenant is known) runs as
/// the database owner. Everything done for a tenant runs in `withTenant`: one transaction as the
/// role `arrears_app` with `app.tenant_id` set, so row-level security holds even if a statement
/// forgot its `tenant_id = …` filter — and every statement has that filter too.
public struct Store: Sendable {
    public let pool: PostgresPool
    /// The role tenant transactions run as; it can neither own tables nor bypass row-level security.
    public static let applicationRole = "arrears_app"

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Runs `body` in one transaction as `tenantID` under row-level security. `actor` names who
    /// acts in the audit log (an API key, `cli`, an agent).
    public func withTenant<Result: Sendable>(
        _ tenantID: Int64, actor: String, _ body: (TenantStore) async throws -> Result
    ) async throws -> Result {
        do {
            return try await pool.withTenantTransaction(tenantID: tenantID, role: Self.applicationRole) { connection in
                try await body(TenantStore(tenantID: tenantID, actor: actor, connection: connection))
            }
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }

    /// Runs `body` as the owner, outside row-level security; for operator work only.
    func asOwner<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await pool.withTransaction(body)
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }
}

/// What a tenant transaction can do. Each method filters by `tenantID` itself; row-level
/// security is the second lock on the same door.
public struct TenantStore: Sendable {
    public let tenantID: Int64
    public let actor: String
    /// The transaction's connection, for the queue's statements (`TaskQueue.enqueue(_:on:)`,
    /// `TaskQueue.tasks(…on:)`) to run in the same transaction. Domain SQL stays in Store.
    public let connection: PostgresConnection

    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await connection.query(query)
    }
}
