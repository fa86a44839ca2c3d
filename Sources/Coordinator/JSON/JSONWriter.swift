import Dunning
import Foundation

/// Writes JSON bytes directly, keys in the order written: faster than JSONEncoder and stable
/// output for clients and tests.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var hasElement: [Bool] = []
    private var afterKey = false

    init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = hasElement.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) }
        hasElement[hasElement.count - 1] = true
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        hasElement.append(false)
        body(&self)
        hasElement.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        hasElement.append(false)
        body(&self)
        hasElement.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func key(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    mutating func value(_ value: String) {
        separate()
        writeString(value)
    }

    mutating func value(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func value(_ value: Int) {
        self.value(Int64(value))
    }

    mutating func value(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func value(_ value: Double) {
        separate()
        bytes.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
    }

    mutating func value(_ value: CalendarDate) {
        self.value(value.description)
    }

    /// RFC 3339 in UTC, to the second: `2025-03-17T08:00:00Z`.
    mutating func value(_ value: Date) {
        self.value(Self.instant(value))
    }

    /// A JSON document written as it is (already valid JSON).
    mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    // Keyed conveniences; optionals write null.
    mutating func field(_ name: String, _ value: String?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ value: Int64?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ value: Int?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ value: Bool) { key(name); self.value(value) }
    mutating func field(_ name: String, _ value: Double?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ value: Date?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ value: CalendarDate?) { key(name); if let value { self.value(value) } else { null() } }
    mutating func field(_ name: String, _ values: [String]) { key(name); array { for value in values { $0.value(value) } } }
    mutating func field(_ name: String, _ values: [Int64]) { key(name); array { for value in values { $0.value(value) } } }

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    static func instant(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(CalendarDate(daysSinceEpoch: days))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))Z"
    }
}
