import CLibPQ

/// Owns a libpq result; results are immutable, so reading them from any thread is safe.
final class PostgresResult: @unchecked Sendable {
    let handle: OpaquePointer
    let rowCount: Int
    let columnNames: [String]
    let columnTypes: [UInt32]

    init(_ handle: OpaquePointer) {
        self.handle = handle
        rowCount = Int(PQntuples(handle))
        let columns = Int(PQnfields(handle))
        columnNames = (0..<columns).map { String(cString: PQfname(handle, Int32($0))) }
        columnTypes = (0..<columns).map { PQftype(handle, Int32($0)) }
    }

    deinit {
        PQclear(handle)
    }

    var affectedRows: Int {
        Int(String(cString: PQcmdTuples(handle))) ?? 0
    }
}

/// The rows a statement returned, and how many rows it changed.
public struct PostgresRows: RandomAccessCollection, Sendable {
    let result: PostgresResult?

    init(_ result: PostgresResult?) {
        self.result = result
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { result?.rowCount ?? 0 }
    public subscript(position: Int) -> PostgresRow { PostgresRow(result: result!, index: position) }

    /// Rows inserted, updated or deleted (0 for statements that report no count).
    public var affectedRows: Int { result?.affectedRows ?? 0 }
    public var columns: [String] { result?.columnNames ?? [] }
}

public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    func cell(_ column: Int) -> PostgresCell? {
        let row = Int32(index), field = Int32(column)
        if PQgetisnull(result.handle, row, field) != 0 { return nil }
        let length = Int(PQgetlength(result.handle, row, field))
        let pointer = UnsafeRawPointer(PQgetvalue(result.handle, row, field)!)
        return PostgresCell(bytes: UnsafeRawBufferPointer(start: pointer, count: length),
                            oid: result.columnTypes[column], column: result.columnNames[column])
    }

    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, at column: Int) throws -> Value {
        guard column >= 0, column < result.columnNames.count else {
            throw PostgresError.decoding("no column at index \(column)")
        }
        return try Value.decode(nullable: cell(column), column: result.columnNames[column])
    }

    public func decode<Value: PostgresDecodable>(_ type: Value.Type = Value.self, column name: String) throws -> Value {
        guard let column = result.columnNames.firstIndex(of: name) else {
            throw PostgresError.decoding("no column named \(name)")
        }
        return try Value.decode(nullable: cell(column), column: name)
    }

    /// Reads the leading columns as a tuple: `let (id, name) = try row.decode((Int64, String).self)`.
    public func decode<each Value: PostgresDecodable>(_ types: (repeat each Value).Type) throws -> (repeat each Value) {
        var column = 0
        func next<Next: PostgresDecodable>(_: Next.Type) throws -> Next {
            defer { column += 1 }
            return try decode(Next.self, at: column)
        }
        return (repeat try next((each Value).self))
    }
}
