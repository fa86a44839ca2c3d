/// SQL text with its parameters. Interpolated values are never spliced into the text: each
/// becomes a `$n` placeholder and travels separately, so quotes and semicolons in data are
/// harmless. `\(unescaped:)` is the one way to put text into the SQL itself, for fragments the
/// code itself owns (a sort direction, a table name).
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]

    public init(_ sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// Appends another query, renumbering its placeholders to follow this query's parameters,
    /// so filters can be composed from independently written fragments.
    public mutating func append(_ other: PostgresQuery) {
        sql += Self.renumber(other.sql, by: binds.count)
        binds += other.binds
    }

    public static func + (lhs: PostgresQuery, rhs: PostgresQuery) -> PostgresQuery {
        var joined = lhs
        joined.append(rhs)
        return joined
    }

    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        /// The same for optionals (nil binds NULL); spelled out so the compiler knows an optional
        /// here is meant and does not warn about its debug description.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        public mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }
    }

    /// Shifts `$n` placeholders outside quoted literals and identifiers by `offset`.
    static func renumber(_ sql: String, by offset: Int) -> String {
        guard offset > 0, sql.contains("$") else { return sql }
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var quote: Character?
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
                index = sql.index(after: index)
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                result.append(character)
                index = sql.index(after: index)
                continue
            }
            if character == "$" {
                var digitsEnd = sql.index(after: index)
                while digitsEnd < sql.endIndex, sql[digitsEnd].isASCII, sql[digitsEnd].isNumber {
                    digitsEnd = sql.index(after: digitsEnd)
                }
                if let number = Int(sql[sql.index(after: index)..<digitsEnd]) {
                    result += "$\(number + offset)"
                    index = digitsEnd
                    continue
                }
            }
            result.append(character)
            index = sql.index(after: index)
        }
        return result
    }
}
