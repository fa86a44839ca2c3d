/// A Content-Type value: "text/plain; charset=UTF-8".
public struct ContentType: Sendable, Hashable {
    /// Lowercased, e.g. "text".
    public var type: String
    /// Lowercased, e.g. "plain".
    public var subtype: String
    /// Parameter names lowercased; values decoded (RFC 2231 continuations and charsets applied).
    public var parameters: [String: String]

    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type.lowercased()
        self.subtype = subtype.lowercased()
        self.parameters = parameters
    }

    /// "type/subtype".
    public var mimeType: String { type + "/" + subtype }

    public var isMultipart: Bool { type == "multipart" }

    public var charset: String? { parameters["charset"] }

    /// RFC 2045's default for a part without a Content-Type.
    static let defaultText = ContentType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])

    /// Parses a header value; nil when it names no "type/subtype".
    static func parse(_ value: String) -> ContentType? {
        let (head, parameters) = HeaderParameters.split(value)
        let pieces = head.split(separator: "/", maxSplits: 1)
        guard pieces.count == 2 else {
            // "text" alone is a common sloppiness for text/plain.
            if head.lowercased() == "text" { return ContentType(type: "text", subtype: "plain", parameters: parameters) }
            return nil
        }
        let type = pieces[0].trimmingCharacters(in: .whitespaces)
        let subtype = pieces[1].trimmingCharacters(in: .whitespaces)
        guard !type.isEmpty, !subtype.isEmpty else { return nil }
        return ContentType(type: type, subtype: subtype, parameters: parameters)
    }
}

/// The "value; name=value; ..." syntax shared by Content-Type and Content-Disposition.
enum HeaderParameters {
    /// Splits off the leading value (lowercased, trimmed) and decodes the parameters.
    static func split(_ text: String) -> (head: String, parameters: [String: String]) {
        let pieces = splitRespectingQuotes(text)
        let head = (pieces.first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var raw: [(name: String, value: String, quoted: Bool)] = []
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else { continue }
            let rawValue = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if rawValue.hasPrefix("\"") {
                raw.append((name, unquote(rawValue), true))
            } else {
                raw.append((name, rawValue, false))
            }
        }
        return (head, assemble(raw))
    }

    private static func splitRespectingQuotes(_ text: String) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\", inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == ";", !inQuotes {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    private static func unquote(_ value: String) -> String {
        var result = ""
        var escaped = false
        for character in value.dropFirst() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                break
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Applies RFC 2231: "name*0*=utf-8''%C3%A9", "name*1=…" and "name*=charset'lang'value".
    private static func assemble(_ raw: [(name: String, value: String, quoted: Bool)]) -> [String: String] {
        var plain: [String: String] = [:]
        var sections: [String: [(index: Int, value: String, extended: Bool)]] = [:]
        for (name, value, quoted) in raw {
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = quoted || value.contains("=?") ? EncodedWords.decode(value) : value }
                continue
            }
            let base = String(name[..<star])
            let rest = name[name.index(after: star)...]
            let extended = rest.hasSuffix("*") || rest.isEmpty
            let number = Int(rest.hasSuffix("*") ? rest.dropLast() : rest) ?? 0
            sections[base, default: []].append((number, value, extended))
        }
        for (base, parts) in sections {
            let ordered = parts.sorted { $0.index < $1.index }
            var charset: String?
            var bytes: [UInt8] = []
            for (position, part) in ordered.enumerated() {
                var value = Substring(part.value)
                if part.extended, position == 0 {
                    let fields = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 {
                        charset = String(fields[0])
                        value = fields[2]
                    }
                }
                bytes += part.extended ? percentDecoded(value) : Array(value.utf8)
            }
            plain[base] = Charset.decode(bytes, charset: charset ?? "utf-8")
        }
        return plain
    }

    private static func percentDecoded(_ value: Substring) -> [UInt8] {
        var output: [UInt8] = []
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 37, index + 2 < bytes.count,
               let byte = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                output.append(byte)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
