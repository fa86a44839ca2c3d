import Foundation

public struct Tenant: Sendable, Hashable {
    public var id: Int64
    public var slug: String
    public var name: String
    public var status: String
    public var timeZone: String
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = "id, slug, name, status, time_zone, created_at, updated_at"

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        slug = try reader.next()
        name = try reader.next()
        status = try reader.next()
        timeZone = try reader.next()
        createdAt = try reader.next()
        updatedAt = try reader.next()
    }
}

public enum APIKeyRole: String, Sendable, CaseIterable {
    case admin
    case readOnly = "read_only"
}

/// A key as the API shows it after it was issued: never the secret, which only its holder has.
public struct APIKey: Sendable, Hashable {
    public var id: Int64
    public var tenantID: Int64
    public var prefix: String
    public var role: APIKeyRole
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    static let columns = "id, tenant_id, prefix, role, name, created_at, last_used_at, revoked_at"

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        tenantID = try reader.next()
        prefix = try reader.next()
        role = APIKeyRole(rawValue: try reader.next()) ?? .readOnly
        name = try reader.next()
        createdAt = try reader.next()
        lastUsedAt = try reader.next()
        revokedAt = try reader.next()
    }
}

/// A key at the moment it is issued: the only time its secret text exists outside its holder.
public struct IssuedAPIKey: Sendable {
    public var key: APIKey
    public var secret: String
}

/// Who an authenticated tenant key acts for.
public struct TenantPrincipal: Sendable, Hashable {
    public var tenantID: Int64
    public var keyID: Int64
    public var role: APIKeyRole
    public var tenantStatus: String
    public var tenantTimeZone: String

    public var actor: String { "api_key:\(keyID)" }
}
