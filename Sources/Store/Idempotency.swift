import Foundation
import Postgres

/// What became of a request's Idempotency-Key.
public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: answer the request, then `completeIdempotencyKey` (or release it on failure).
    case claimed
    /// Seen before with the same request: answer with the stored response.
    case replay(status: Int, contentType: String, body: Data)
    /// The first request with this key is still being answered (for up to a minute; an older claim
    /// is taken over).
    case inProgress
    /// The key was used for a different request.
    case mismatch
}

/// Keys are kept for a day; a key older than that starts afresh.
extension Store {
    /// Operator requests have no tenant; their keys live in scope 0.
    public static let operatorScope: Int64 = 0

    public func claimIdempotencyKey(scope: Int64, key: String, requestHash: Data) async throws -> IdempotencyClaim {
        try await inScope(scope) { connection in
            let claimed = try await connection.query("""
                INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES (\(scope), \(key), \(requestHash))
                ON CONFLICT (tenant_id, key) DO UPDATE
                   SET request_hash = EXCLUDED.request_hash, status = NULL, content_type = NULL, body = NULL, created_at = now()
                 WHERE idempotency_keys.created_at < now() - interval '24 hours'
                    -- A claim unanswered for a minute, longer than any request takes, is one whose
                    -- coordinator died: a retry of the same request takes it over.
                    OR (idempotency_keys.status IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
                        AND idempotency_keys.created_at < now() - interval '60 seconds')
                RETURNING 1
                """)
            if !claimed.isEmpty { return .claimed }
            guard let row = try await connection.query("""
                SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE tenant_id = \(scope) AND key = \(key)
                """).first else { return .inProgress }
            let (hash, status, contentType, body) = try row.decode((Data, Int?, String?, Data?).self)
            guard constantTimeEqual(hash, requestHash) else { return .mismatch }
            guard let status else { return .inProgress }
            return .replay(status: status, contentType: contentType ?? "application/json", body: body ?? Data())
        }
    }

    /// Stores the response unless one is stored already: when a claim was taken over, the first of
    /// the two requests to finish is the one replayed.
    public func completeIdempotencyKey(scope: Int64, key: String, status: Int, contentType: String, body: Data) async throws {
        _ = try await inScope(scope) { connection in
            try await connection.query("""
                UPDATE idempotency_keys SET status = \(status), content_type = \(contentType), body = \(body)
                 WHERE tenant_id = \(scope) AND key = \(key) AND status IS NULL
                """)
        }
    }

    /// Forgets a claim whose request failed on our side, so a retry runs it again.
    public func releaseIdempotencyKey(scope: Int64, key: String) async throws {
        _ = try await inScope(scope) { connection in
            try await connection.query("DELETE FROM idempotency_keys WHERE tenant_id = \(scope) AND key = \(key) AND status IS NULL")
        }
    }

    /// Deletes keys older than a day; returns how many.
    public func expireIdempotencyKeys() async throws -> Int {
        try await asOwner { connection in
            try await connection.query("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'").affectedRows
        }
    }

    private func inScope<Result: Sendable>(_ scope: Int64, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        if scope == Self.operatorScope { return try await asOwner(body) }
        do {
            return try await pool.withTenantTransaction(tenantID: scope, role: Self.applicationRole, body)
        } catch let error as PostgresError {
            throw StoreError(error)
        }
    }
}
