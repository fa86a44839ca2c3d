import Foundation

/// One non-NULL field of a result row in the binary wire format, valid while its result lives.
public struct PostgresCell {
    public let bytes: UnsafeRawBufferPointer
    public let oid: UInt32
    public let column: String

    func integer<Value: FixedWidthInteger>(_: Value.Type) -> Value {
        var value = Value.zero
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(MemoryLayout<Value>.size))) }
        return Value(bigEndian: value)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    func mismatch(_ swiftType: Any.Type) -> PostgresError {
        .decoding("column \(column): cannot decode type OID \(oid) as \(swiftType)")
    }
}

/// A Swift value that can be read from a result column.
public protocol PostgresDecodable: Sendable {
    static func decode(_ cell: PostgresCell) throws -> Self
    /// Called for every field; only optionals accept SQL NULL.
    static func decode(nullable cell: PostgresCell?, column: String) throws -> Self
}

extension PostgresDecodable {
    public static func decode(nullable cell: PostgresCell?, column: String) throws -> Self {
        guard let cell else { throw PostgresError.decoding("column \(column) is NULL, expected \(Self.self)") }
        return try decode(cell)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Wrapped? {
        try Wrapped.decode(cell)
    }

    public static func decode(nullable cell: PostgresCell?, column: String) throws -> Wrapped? {
        guard let cell else { return nil }
        return try Wrapped.decode(cell)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Int64 {
        switch cell.oid {
        case PostgresOID.int8: return cell.integer(Int64.self)
        case PostgresOID.int4, PostgresOID.oid: return Int64(cell.integer(Int32.self))
        case PostgresOID.int2: return Int64(cell.integer(Int16.self))
        case PostgresOID.numeric:
            guard let value = PostgresNumeric(cell).int64 else { throw cell.mismatch(Int64.self) }
            return value
        default: throw cell.mismatch(Int64.self)
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Int { Int(try Int64.decode(cell)) }
}

extension Int32: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Int32 {
        guard let value = Int32(exactly: try Int64.decode(cell)) else { throw cell.mismatch(Int32.self) }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Bool {
        guard cell.oid == PostgresOID.bool, cell.bytes.count == 1 else { throw cell.mismatch(Bool.self) }
        return cell.bytes[0] != 0
    }
}

extension Double: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Double {
        switch cell.oid {
        case PostgresOID.float8: return Double(bitPattern: cell.integer(UInt64.self))
        case PostgresOID.float4: return Double(Float(bitPattern: cell.integer(UInt32.self)))
        case PostgresOID.numeric:
            guard let value = Double(PostgresNumeric(cell).text) else { throw cell.mismatch(Double.self) }
            return value
        case PostgresOID.int8, PostgresOID.int4, PostgresOID.int2: return Double(try Int64.decode(cell))
        default: throw cell.mismatch(Double.self)
        }
    }
}

extension String: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> String {
        switch cell.oid {
        case PostgresOID.text, PostgresOID.varchar, PostgresOID.bpchar, PostgresOID.name,
             PostgresOID.char, PostgresOID.unknown, PostgresOID.json:
            return cell.text
        case PostgresOID.jsonb: return try PostgresJSON.decode(cell).text
        case PostgresOID.uuid: return try UUID.decode(cell).uuidString.lowercased()
        case PostgresOID.date: return try PostgresDate.decode(cell).description
        case PostgresOID.numeric: return PostgresNumeric(cell).text
        case PostgresOID.int8, PostgresOID.int4, PostgresOID.int2: return String(try Int64.decode(cell))
        default:
            // Enums and domains over text arrive with their own OIDs and text bytes.
            return cell.text
        }
    }
}

extension UUID: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> UUID {
        guard cell.oid == PostgresOID.uuid, cell.bytes.count == 16 else { throw cell.mismatch(UUID.self) }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: cell.bytes) }
        return UUID(uuid: raw)
    }
}

extension Date: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Date {
        switch cell.oid {
        case PostgresOID.timestamptz, PostgresOID.timestamp:
            return PostgresEpoch.date(microseconds: cell.integer(Int64.self))
        case PostgresOID.date:
            let date = try PostgresDate.decode(cell)
            return Date(timeIntervalSince1970: Double(date.daysSinceUnixEpoch) * 86_400)
        default: throw cell.mismatch(Date.self)
        }
    }
}

extension PostgresDate: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> PostgresDate {
        guard cell.oid == PostgresOID.date else { throw cell.mismatch(PostgresDate.self) }
        let days = Int64(cell.integer(Int32.self))
        return PostgresDate(daysSinceUnixEpoch: days + PostgresEpoch.daysFromUnixEpoch)
    }
}

extension PostgresJSON: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> PostgresJSON {
        switch cell.oid {
        case PostgresOID.jsonb:
            // Binary jsonb is a version byte (1) followed by the JSON text.
            guard cell.bytes.first == 1 else { throw cell.mismatch(PostgresJSON.self) }
            return PostgresJSON(String(decoding: cell.bytes.dropFirst(), as: UTF8.self))
        case PostgresOID.json, PostgresOID.text: return PostgresJSON(cell.text)
        default: throw cell.mismatch(PostgresJSON.self)
        }
    }
}

extension Data: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> Data {
        guard cell.oid == PostgresOID.bytea else { throw cell.mismatch(Data.self) }
        return Data(cell.bytes)
    }
}

/// Arrays in the binary format: dimensions, a has-NULL flag, the element OID, then each element
/// as a length-prefixed field (-1 for NULL). Only one-dimensional arrays are read.
extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(_ cell: PostgresCell) throws -> [Element] {
        var reader = BinaryReader(bytes: cell.bytes)
        guard let dimensions = reader.int32(), reader.int32() != nil, let elementOID = reader.int32() else {
            throw cell.mismatch([Element].self)
        }
        if dimensions == 0 { return [] }
        guard dimensions == 1, let count = reader.int32(), reader.int32() != nil else {
            throw PostgresError.decoding("column \(cell.column): only one-dimensional arrays are supported")
        }
        var elements: [Element] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = reader.int32() else { throw cell.mismatch([Element].self) }
            if length < 0 {
                elements.append(try Element.decode(nullable: nil, column: cell.column))
                continue
            }
            guard let slice = reader.bytes(Int(length)) else { throw cell.mismatch([Element].self) }
            let element = PostgresCell(bytes: slice, oid: UInt32(bitPattern: elementOID), column: cell.column)
            elements.append(try Element.decode(nullable: element, column: cell.column))
        }
        return elements
    }
}

struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func int32() -> Int32? {
        guard offset + 4 <= bytes.count else { return nil }
        var value: Int32 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4])) }
        offset += 4
        return Int32(bigEndian: value)
    }

    mutating func int16() -> Int16? {
        guard offset + 2 <= bytes.count else { return nil }
        let value = Int16(bitPattern: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
        offset += 2
        return value
    }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }
}

/// `numeric` in binary: base-10000 digits with a weight (position of the first digit), a sign
/// and a display scale. Sums of bigint columns arrive as numeric, so reading them matters.
struct PostgresNumeric {
    var digits: [Int16] = []
    var weight: Int16 = 0
    var isNegative = false
    var isNaN = false
    var scale: Int16 = 0

    init(_ cell: PostgresCell) {
        var reader = BinaryReader(bytes: cell.bytes)
        guard let count = reader.int16(), let weight = reader.int16(), let sign = reader.int16(),
              let scale = reader.int16() else { isNaN = true; return }
        self.weight = weight
        self.scale = scale
        isNegative = UInt16(bitPattern: sign) == 0x4000
        isNaN = UInt16(bitPattern: sign) == 0xC000
        for _ in 0..<max(0, Int(count)) {
            guard let digit = reader.int16() else { isNaN = true; return }
            digits.append(digit)
        }
    }

    /// The value if it is a whole number that fits.
    var int64: Int64? {
        guard !isNaN else { return nil }
        var value: Int64 = 0
        for (index, digit) in digits.enumerated() {
            let power = Int(weight) - index
            if power < 0 {
                if digit != 0 { return nil }
                continue
            }
            var term = Int64(digit)
            for _ in 0..<power {
                let (product, overflow) = term.multipliedReportingOverflow(by: 10_000)
                if overflow { return nil }
                term = product
            }
            let (sum, overflow) = value.addingReportingOverflow(term)
            if overflow { return nil }
            value = sum
        }
        return isNegative ? -value : value
    }

    var text: String {
        if isNaN { return "NaN" }
        var integerPart = ""
        if weight < 0 {
            integerPart = "0"
        } else {
            for position in 0...Int(weight) {
                let digit = position < digits.count ? digits[position] : 0
                integerPart += position == 0 ? String(digit) : String(digit).leftPadded(to: 4)
            }
        }
        var fraction = ""
        if scale > 0 {
            var position = Int(weight) + 1
            // Leading zero groups when the first digit sits after the point.
            while fraction.count < Int(scale) {
                let digit = position >= 0 && position < digits.count ? digits[position] : 0
                fraction += String(digit).leftPadded(to: 4)
                position += 1
            }
            fraction = "." + String(fraction.prefix(Int(scale)))
        }
        let negative = isNegative && (digits.contains { $0 != 0 })
        return (negative ? "-" : "") + integerPart + fraction
    }
}
