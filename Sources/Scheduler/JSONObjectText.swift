/// Builds the text of a flat JSON object by hand, as bytes. Task payloads and audit details are
/// written for every customer reviewed; Foundation's encoder would cost more than the decision.
struct JSONObjectText {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    mutating func add(_ key: String, _ value: String) {
        addKey(key)
        Self.appendString(value, to: &bytes)
    }

    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return addNull(key) }
        add(key, value)
    }

    mutating func add(_ key: String, _ value: Int64) {
        addKey(key)
        bytes += String(value).utf8
    }

    mutating func add(_ key: String, _ value: Int) {
        add(key, Int64(value))
    }

    mutating func add(_ key: String, _ value: Bool) {
        addKey(key)
        bytes += (value ? "true" : "false").utf8
    }

    mutating func add(_ key: String, _ values: [String]) {
        addKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func add(_ key: String, _ values: [Int64]) {
        addKey(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += String(value).utf8
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func addNull(_ key: String) {
        addKey(key)
        bytes += "null".utf8
    }

    /// `json` must already be valid JSON text (an object or array built by this type).
    mutating func add(_ key: String, json: String) {
        addKey(key)
        bytes += json.utf8
    }

    var finished: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }

    private mutating func addKey(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        Self.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Copies runs of plain bytes whole and escapes the rest.
    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var copy = value
        copy.withUTF8 { text in
            var runStart = 0
            for index in text.indices where needsEscape(text[index]) {
                bytes += UnsafeBufferPointer(rebasing: text[runStart..<index])
                let byte = text[index]
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                default:
                    bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                              hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
                }
                runStart = index + 1
            }
            bytes += UnsafeBufferPointer(rebasing: text[runStart...])
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }
}

/// A JSON array of objects built with `JSONObjectText`.
struct JSONArrayText {
    private var items: [String] = []

    mutating func append(_ object: JSONObjectText) {
        items.append(object.finished)
    }

    var finished: String { "[" + items.joined(separator: ",") + "]" }
}
