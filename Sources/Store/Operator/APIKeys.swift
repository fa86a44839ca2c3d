import Crypto
import Foundation
import Postgres

/// API keys look like `ark_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole
/// key is compared in constant time, and the key itself is never stored.
enum APIKeyText {
    static let marker = "ark_"
    static let prefixLength = 12
    static let secretLength = 32
    /// Lower-case letters and digits without look-alikes, so keys survive being read aloud.
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")

    static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func make() -> (prefix: String, text: String) {
        let prefix = random(prefixLength)
        return (prefix, marker + prefix + "_" + random(secretLength))
    }

    /// The prefix of a well-formed key, else nil (a malformed key costs no query).
    static func prefix(of text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == marker.utf8.count + prefixLength + 1 + secretLength, text.hasPrefix(marker),
              bytes[marker.utf8.count + prefixLength] == UInt8(ascii: "_")
        else { return nil }
        return String(decoding: bytes[marker.utf8.count..<(marker.utf8.count + prefixLength)], as: UTF8.self)
    }

    static func hash(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }
}

/// Compares without stopping at the first difference, so timing tells nothing about a secret.
public func constantTimeEqual(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
    return difference == 0
}

extension Store {
    public func issueKey(tenantID: Int64, role: APIKeyRole, name: String) async throws -> IssuedAPIKey? {
        try await asOwner { connection in
            guard try await !connection.query("SELECT 1 FROM tenants WHERE id = \(tenantID)").isEmpty else { return nil }
            return try await Self.issueKey(tenantID: tenantID, role: role, name: name, on: connection)
        }
    }

    static func issueKey(tenantID: Int64, role: APIKeyRole, name: String, on connection: PostgresConnection) async throws -> IssuedAPIKey {
        let (prefix, text) = APIKeyText.make()
        let rows = try await connection.query("""
            INSERT INTO api_keys (tenant_id, prefix, secret_hash, role, name)
            VALUES (\(tenantID), \(prefix), \(APIKeyText.hash(text)), \(role.rawValue), \(name))
            RETURNING \(unescaped: APIKey.columns)
            """)
        var reader = RowReader(rows[0])
        return IssuedAPIKey(key: try APIKey(&reader), secret: text)
    }

    public func keys(tenantID: Int64, page: PageRequest) async throws -> Page<APIKey> {
        try await asOwner { connection in
            var query: PostgresQuery = "SELECT \(unescaped: APIKey.columns) FROM api_keys WHERE tenant_id = \(tenantID)"
            query.appendPage(page)
            return Page(fetched: try await connection.query(query).map { row in
                var reader = RowReader(row)
                return try APIKey(&reader)
            }, limit: page.limit)
        }
    }

    /// Revokes a key for good; revoking it again keeps the first revocation time.
    public func revokeKey(tenantID: Int64, keyID: Int64) async throws -> APIKey? {
        try await asOwner { connection in
            try await connection.query("""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
                 WHERE tenant_id = \(tenantID) AND id = \(keyID)
                RETURNING \(unescaped: APIKey.columns)
                """).first.map { row in
                var reader = RowReader(row)
                return try APIKey(&reader)
            }
        }
    }

    /// Revokes a key by its prefix (what an operator sees in listings and logs).
    public func revokeKey(prefix: String) async throws -> APIKey? {
        try await asOwner { connection in
            try await connection.query("""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE prefix = \(prefix)
                RETURNING \(unescaped: APIKey.columns)
                """).first.map { row in
                var reader = RowReader(row)
                return try APIKey(&reader)
            }
        }
    }

    /// Who a presented key acts for, or nil for an unknown, malformed or revoked key. Runs as the
    /// owner because the tenant is not known yet; the secret is compared in constant time.
    public func authenticate(key text: String) async throws -> TenantPrincipal? {
        guard let prefix = APIKeyText.prefix(of: text) else { return nil }
        let rows: PostgresRows
        do {
            rows = try await pool.query("""
                SELECT k.secret_hash, k.tenant_id, k.id, k.role, t.status, t.time_zone
                  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
                 WHERE k.prefix = \(prefix) AND k.revoked_at IS NULL
                """)
        } catch let error as PostgresError {
            throw StoreError(error)
        }
        guard let row = rows.first else { return nil }
        var reader = RowReader(row)
        let storedHash: Data = try reader.next()
        guard constantTimeEqual(storedHash, APIKeyText.hash(text)) else { return nil }
        return TenantPrincipal(
            tenantID: try reader.next(), keyID: try reader.next(),
            role: APIKeyRole(rawValue: try reader.next()) ?? .readOnly,
            tenantStatus: try reader.next(), tenantTimeZone: try reader.next())
    }

    /// Records that a key was used; callers throttle this so it is not a write per request.
    public func touchKey(keyID: Int64, tenantID: Int64) async throws {
        _ = try await asOwner { connection in
            try await connection.query("UPDATE api_keys SET last_used_at = now() WHERE tenant_id = \(tenantID) AND id = \(keyID)")
        }
    }
}
