import Foundation

/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable: Sendable {
    /// The type the server reads this value as; also used for a NULL of this type.
    static var postgresOID: UInt32 { get }
    var postgresBind: PostgresBind { get }
}

extension PostgresBind {
    /// Fixed-width integers travel in binary, big-endian, as the protocol wants.
    static func bigEndian<Value: FixedWidthInteger>(_ value: Value, oid: UInt32) -> PostgresBind {
        withUnsafeBytes(of: value.bigEndian) { .binary(Array($0), oid: oid) }
    }
}

extension Int64: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.int8 }
    public var postgresBind: PostgresBind { .bigEndian(self, oid: PostgresOID.int8) }
}

extension Int: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.int8 }
    public var postgresBind: PostgresBind { .bigEndian(Int64(self), oid: PostgresOID.int8) }
}

extension Int32: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.int4 }
    public var postgresBind: PostgresBind { .bigEndian(self, oid: PostgresOID.int4) }
}

extension Int16: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.int2 }
    public var postgresBind: PostgresBind { .bigEndian(self, oid: PostgresOID.int2) }
}

extension Bool: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.bool }
    public var postgresBind: PostgresBind { .binary([self ? 1 : 0], oid: PostgresOID.bool) }
}

extension Double: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.float8 }
    public var postgresBind: PostgresBind { .bigEndian(bitPattern, oid: PostgresOID.float8) }
}

/// Text goes untyped so the server can read it as whatever the context needs: text, an enum,
/// a date, jsonb, uuid.
extension String: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.unknown }
    public var postgresBind: PostgresBind { .text(self, oid: PostgresOID.unknown) }
}

extension Substring: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.unknown }
    public var postgresBind: PostgresBind { .text(String(self), oid: PostgresOID.unknown) }
}

extension UUID: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.uuid }
    public var postgresBind: PostgresBind {
        withUnsafeBytes(of: uuid) { .binary(Array($0), oid: PostgresOID.uuid) }
    }
}

extension Date: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.timestamptz }
    public var postgresBind: PostgresBind {
        .bigEndian(PostgresEpoch.microseconds(from: self), oid: PostgresOID.timestamptz)
    }
}

/// bytea travels in binary.
extension Data: PostgresEncodable {
    public static var postgresOID: UInt32 { PostgresOID.bytea }
    public var postgresBind: PostgresBind { .binary(Array(self), oid: PostgresOID.bytea) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresOID: UInt32 { Wrapped.postgresOID }
    public var postgresBind: PostgresBind { self?.postgresBind ?? .null(oid: Wrapped.postgresOID) }
}

/// A value that can be an element of an array parameter, written in the array text format.
public protocol PostgresArrayElement: PostgresEncodable {
    static var postgresArrayOID: UInt32 { get }
    var postgresArrayLiteral: String { get }
    /// Appends the literal's bytes; text overrides it to escape straight into the buffer.
    func appendPostgresArrayLiteral(to bytes: inout [UInt8])
}

extension PostgresArrayElement {
    public func appendPostgresArrayLiteral(to bytes: inout [UInt8]) {
        bytes += postgresArrayLiteral.utf8
    }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int8Array }
    public var postgresArrayLiteral: String { String(self) }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int8Array }
    public var postgresArrayLiteral: String { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int4Array }
    public var postgresArrayLiteral: String { String(self) }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.boolArray }
    public var postgresArrayLiteral: String { self ? "t" : "f" }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.uuidArray }
    public var postgresArrayLiteral: String { uuidString }
}

extension String: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.textArray }
    public var postgresArrayLiteral: String {
        var bytes: [UInt8] = []
        appendPostgresArrayLiteral(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quoted, with `"` and `\\` escaped, copied in runs between them: element by element this
    /// encoding used to cost more than the rest of a batch enqueue of a thousand tasks.
    public func appendPostgresArrayLiteral(to bytes: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        bytes.append(quote)
        var copy = self
        copy.withUTF8 { text in
            var runStart = 0
            for index in text.indices where text[index] == quote || text[index] == backslash {
                bytes += UnsafeBufferPointer(rebasing: text[runStart..<index])
                bytes.append(backslash)
                runStart = index
            }
            bytes += UnsafeBufferPointer(rebasing: text[runStart...])
        }
        bytes.append(quote)
    }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { Wrapped.postgresArrayOID }
    public var postgresArrayLiteral: String { self?.postgresArrayLiteral ?? "NULL" }

    public func appendPostgresArrayLiteral(to bytes: inout [UInt8]) {
        if let self { self.appendPostgresArrayLiteral(to: &bytes) } else { bytes += "NULL".utf8 }
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresOID: UInt32 { Element.postgresArrayOID }
    /// The array text format, written into one buffer.
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(count * 8 + 2)
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element.appendPostgresArrayLiteral(to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return PostgresBind(bytes: bytes, isBinary: false, oid: Element.postgresArrayOID)
    }
}

/// The server counts time in microseconds from 2000-01-01 00:00 UTC.
enum PostgresEpoch {
    static let unixOffsetSeconds: Int64 = 946_684_800
    static let daysFromUnixEpoch: Int64 = 10_957

    static func microseconds(from date: Date) -> Int64 {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        return Int64(micros) - unixOffsetSeconds * 1_000_000
    }

    static func date(microseconds: Int64) -> Date {
        if microseconds == .max { return .distantFuture }
        if microseconds == .min { return .distantPast }
        let sinceUnix = microseconds + unixOffsetSeconds * 1_000_000
        return Date(timeIntervalSince1970: Double(sinceUnix) / 1_000_000)
    }
}
