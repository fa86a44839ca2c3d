/// An error reported by the server or by libpq, carrying what a caller needs to react to it:
/// the SQLSTATE (`23505` for a unique violation, `08…` for connection failures, …) and, when
/// the server sent them, the detail, hint and the constraint that was violated.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?
    public var severity: String?

    public init(
        sqlState: String, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil, severity: String? = nil
    ) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.severity = severity
    }

    /// A failure of the connection itself rather than of the statement: the statement may or
    /// may not have run, and the connection is unusable.
    public var isConnectionFailure: Bool { sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03" }
    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    public var description: String {
        var text = "\(message) (SQLSTATE \(sqlState))"
        if let detail { text += ": \(detail)" }
        if let constraint { text += " [constraint \(constraint)]" }
        return text
    }

    static func connection(_ message: String) -> PostgresError {
        PostgresError(sqlState: "08006", message: message)
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(sqlState: "22000", message: message)
    }
}
