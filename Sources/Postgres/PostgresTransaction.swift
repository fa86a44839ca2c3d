import Foundation

extension PostgresConnection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func withTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await simpleQuery("BEGIN")
        return try await finishTransaction(body)
    }

    /// Runs `body` in a transaction as `role` with `app.tenant_id` set, so row-level security
    /// policies see only that tenant's rows. Both settings end with the transaction.
    public func withTenantTransaction<Result: Sendable>(
        tenantID: Int64, role: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            try await beginTenantTransaction(tenantID: tenantID, role: role)
        } catch {
            if !isIdle { try? await simpleQuery("ROLLBACK") }
            throw error
        }
        return try await finishTransaction(body)
    }

    private func finishTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let result: Result
        do {
            result = try await body(self)
        } catch {
            // A broken connection has no transaction left to roll back; the pool drops it.
            try? await simpleQuery("ROLLBACK")
            throw error
        }
        // COMMIT of a transaction in which a statement failed silently rolls back; say so.
        if isInFailedTransaction {
            try? await simpleQuery("ROLLBACK")
            throw PostgresError(sqlState: "25P02", message: "transaction rolled back: a statement in it failed")
        }
        try await simpleQuery("COMMIT")
        return result
    }
}

extension PostgresPool {
    public func withTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await withConnection { try await $0.withTransaction(body) }
    }

    public func withTenantTransaction<Result: Sendable>(
        tenantID: Int64, role: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { try await $0.withTenantTransaction(tenantID: tenantID, role: role, body) }
    }
}

/// Quotes an identifier the code itself owns (a role or channel name), doubling quotes.
public func quotedIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
