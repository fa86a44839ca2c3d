import Foundation

/// How to reach the server. The connection string is anything libpq accepts: a
/// `postgres://user:pass@host:port/db?sslmode=…` URL or a `host=… dbname=…` conninfo string.
public struct PostgresConfiguration: Sendable {
    public var connectionString: String
    /// Where to reach the server itself when `connectionString` goes through a pooler in
    /// transaction mode (PgBouncer): `LISTEN` and session-level advisory locks do not survive a
    /// pooler that hands each transaction another server connection. nil when there is no pooler.
    public var directConnectionString: String?
    public var applicationName: String
    /// Most connections a pool opens.
    public var maxConnections: Int
    /// Server-side prepared statements, cached per connection. Behind PgBouncer in transaction
    /// mode older than 1.21 they must be off.
    public var usePreparedStatements: Bool
    public var connectTimeoutSeconds: Int
    /// libpq connection parameters (`keepalives_idle` = `10`, …) for what the connection string
    /// leaves unsaid: where it sets one of them, its value wins.
    public var fallbackParameters: [String: String] = [:]

    public init(
        connectionString: String, directConnectionString: String? = nil, applicationName: String = "arrears",
        maxConnections: Int = 10, usePreparedStatements: Bool = true, connectTimeoutSeconds: Int = 10
    ) {
        self.connectionString = connectionString
        self.directConnectionString = directConnectionString
        self.applicationName = applicationName
        self.maxConnections = maxConnections
        self.usePreparedStatements = usePreparedStatements
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

extension PostgresConfiguration {
    /// The same server and credentials, another database.
    public func withDatabase(_ name: String) -> PostgresConfiguration {
        var copy = self
        copy.connectionString = Self.connectionString(connectionString, database: name)
        copy.directConnectionString = directConnectionString.map { Self.connectionString($0, database: name) }
        return copy
    }

    /// For sessions whose state must outlive a transaction (`LISTEN`, advisory locks held across
    /// statements): the direct connection string if there is one, else the same.
    public var direct: PostgresConfiguration {
        var copy = self
        if let directConnectionString { copy.connectionString = directConnectionString }
        copy.directConnectionString = nil
        return copy
    }

    private static func connectionString(_ string: String, database name: String) -> String {
        if var components = URLComponents(string: string), components.scheme?.hasPrefix("postgres") == true {
            components.path = "/" + name
            return components.string ?? string
        }
        // In a conninfo string the last setting of a keyword wins.
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return string + " dbname='\(escaped)'"
    }
}
