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

/// A value that can be an element of an array parameter. Arrays travel in the binary format: the
/// server reads a thousand-element array of them without parsing text, and nothing is escaped.
public protocol PostgresArrayElement: PostgresEncodable {
    static var postgresArrayOID: UInt32 { get }
    /// The element type the array's header names; the server checks it against the array's type.
    static var postgresElementOID: UInt32 { get }
    /// Appends the element as the array format wants it: its length, then its bytes (-1 for NULL).
    func appendPostgresArrayElement(to bytes: inout [UInt8])
}

extension [UInt8] {
    mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// A fixed-width element: its width, then the value.
    mutating func appendArrayElement<Value: FixedWidthInteger>(_ value: Value) {
        appendBigEndian(Int32(MemoryLayout<Value>.size))
        appendBigEndian(value)
    }
}

extension Int64: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int8Array }
    public static var postgresElementOID: UInt32 { PostgresOID.int8 }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) { bytes.appendArrayElement(self) }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int8Array }
    public static var postgresElementOID: UInt32 { PostgresOID.int8 }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) { bytes.appendArrayElement(Int64(self)) }
}

extension Int32: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.int4Array }
    public static var postgresElementOID: UInt32 { PostgresOID.int4 }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) { bytes.appendArrayElement(self) }
}

extension Bool: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.boolArray }
    public static var postgresElementOID: UInt32 { PostgresOID.bool }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) { bytes.appendArrayElement(UInt8(self ? 1 : 0)) }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.uuidArray }
    public static var postgresElementOID: UInt32 { PostgresOID.uuid }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) {
        bytes.appendBigEndian(Int32(16))
        withUnsafeBytes(of: uuid) { bytes.append(contentsOf: $0) }
    }
}

extension String: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { PostgresOID.textArray }
    public static var postgresElementOID: UInt32 { PostgresOID.text }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) {
        var copy = self
        copy.withUTF8 { text in
            bytes.appendBigEndian(Int32(text.count))
            bytes.append(contentsOf: text)
        }
    }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayOID: UInt32 { Wrapped.postgresArrayOID }
    public static var postgresElementOID: UInt32 { Wrapped.postgresElementOID }
    public func appendPostgresArrayElement(to bytes: inout [UInt8]) {
        if let self { self.appendPostgresArrayElement(to: &bytes) } else { bytes.appendBigEndian(Int32(-1)) }
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresOID: UInt32 { Element.postgresArrayOID }
    /// One dimension counted from 1 (none when empty), then the elements, in one buffer.
    public var postgresBind: PostgresBind {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + count * 12)
        bytes.appendBigEndian(Int32(isEmpty ? 0 : 1))
        // The has-nulls flag: the server finds NULLs by their length of -1 whatever it says.
        bytes.appendBigEndian(Int32(0))
        bytes.appendBigEndian(Element.postgresElementOID)
        if !isEmpty {
            bytes.appendBigEndian(Int32(count))
            bytes.appendBigEndian(Int32(1))
        }
        for element in self { element.appendPostgresArrayElement(to: &bytes) }
        return .binary(bytes, oid: Element.postgresArrayOID)
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
