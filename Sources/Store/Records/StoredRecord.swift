import Postgres

/// A record read from its table's columns in SELECT order.
protocol StoredRecord: Sendable {
    init(_ reader: inout RowReader) throws
}

extension Tenant: StoredRecord {}
extension APIKey: StoredRecord {}
extension Customer: StoredRecord {}
extension Contact: StoredRecord {}
extension Invoice: StoredRecord {}
extension Payment: StoredRecord {}
extension Promise: StoredRecord {}
extension Dispute: StoredRecord {}
extension Message: StoredRecord {}
extension Escalation: StoredRecord {}
extension AuditEvent: StoredRecord {}

extension PostgresRows {
    func records<Record: StoredRecord>(_ type: Record.Type = Record.self) throws -> [Record] {
        try map { row in
            var reader = RowReader(row)
            return try Record(&reader)
        }
    }
}

/// Column assignments of a create or partial update, built from the fields that were given.
struct Assignments {
    private(set) var names: [String] = []
    private var values: [PostgresQuery] = []

    var isEmpty: Bool { names.isEmpty }

    mutating func set(_ name: String, _ value: some PostgresEncodable) {
        names.append(name)
        values.append("\(value)")
    }

    mutating func set<Value: PostgresEncodable>(_ name: String, _ update: FieldUpdate<Value>) {
        if case .set(let value) = update { set(name, value) }
    }

    /// An SQL expression, such as `now()`; interpolated values in it are bound.
    mutating func setExpression(_ name: String, _ expression: PostgresQuery) {
        names.append(name)
        values.append(expression)
    }

    /// `(a, b) VALUES ($1, $2)`
    var insert: PostgresQuery {
        var query = PostgresQuery(" (" + names.joined(separator: ", ") + ") VALUES (")
        for (index, value) in values.enumerated() {
            if index > 0 { query.append(", ") }
            query.append(value)
        }
        query.append(")")
        return query
    }

    /// `a = $1, b = $2`
    var update: PostgresQuery {
        var query = PostgresQuery("")
        for (index, (name, value)) in zip(names, values).enumerated() {
            query.append(PostgresQuery((index > 0 ? ", " : "") + name + " = "))
            query.append(value)
        }
        return query
    }

    /// `a = EXCLUDED.a, b = EXCLUDED.b`, for the update arm of an upsert.
    func excluded(except skipped: Set<String>) -> String {
        names.filter { !skipped.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
    }
}
