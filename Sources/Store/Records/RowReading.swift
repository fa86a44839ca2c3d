import Dunning
import Foundation
import Postgres

/// Reads a row's columns in order, so record initialisers list fields once, in SELECT order.
struct RowReader {
    let row: PostgresRow
    var column = 0

    init(_ row: PostgresRow) {
        self.row = row
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type = Value.self) throws -> Value {
        defer { column += 1 }
        return try row.decode(Value.self, at: column)
    }

    mutating func date() throws -> CalendarDate {
        CalendarDate(try next(PostgresDate.self))
    }

    mutating func optionalDate() throws -> CalendarDate? {
        try next(PostgresDate?.self).map(CalendarDate.init)
    }
}

extension CalendarDate {
    init(_ date: PostgresDate) {
        self.init(daysSinceEpoch: Int(date.daysSinceUnixEpoch))
    }

    /// The value to bind for a `date` column.
    var postgres: PostgresDate {
        PostgresDate(daysSinceUnixEpoch: Int64(daysSinceEpoch))
    }
}

extension Optional where Wrapped == CalendarDate {
    var postgres: PostgresDate? { self?.postgres }
}

/// A field of a partial update: left alone, or set (possibly to nothing, for nullable fields).
public enum FieldUpdate<Value: Sendable>: Sendable {
    case unchanged
    case set(Value)

    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }

    public var isSet: Bool { value != nil }
}
