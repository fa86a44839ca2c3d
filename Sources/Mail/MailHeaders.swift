/// One header field. `value` is unfolded but otherwise as sent (encoded-words are not decoded).
public struct MailHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A message's or MIME part's header fields, in order, looked up case-insensitively.
public struct MailHeaders: Sendable, Hashable {
    public var fields: [MailHeader]

    public init(_ fields: [MailHeader] = []) {
        self.fields = fields
    }

    /// The first field with this name.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    /// Every field with this name, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// Parses a header block starting at `start`. Returns the fields and where the body begins
    /// (after the blank line, or at the first line that cannot be a header).
    static func parse(_ bytes: [UInt8], from start: Int = 0) -> (headers: MailHeaders, bodyStart: Int) {
        var fields: [(name: String, value: [UInt8])] = []
        var lineStart = start
        var bodyStart = bytes.count
        var isFirstLine = true
        while lineStart < bytes.count {
            let newline = bytes[lineStart...].firstIndex(of: 10)
            let next = newline.map { $0 + 1 } ?? bytes.count
            var lineEnd = newline ?? bytes.count
            if lineEnd > lineStart, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            let line = bytes[lineStart..<lineEnd]
            defer { isFirstLine = false }
            if line.isEmpty {
                bodyStart = next
                break
            }
            if line.first == 32 || line.first == 9 {
                if !fields.isEmpty {
                    // Unfolding removes the line break; a folding tab reads as a space.
                    fields[fields.count - 1].value += [32] + line.dropFirst()
                }
                lineStart = next
                continue
            }
            if let field = parseFieldLine(line) {
                fields.append(field)
                lineStart = next
                continue
            }
            if isFirstLine, line.starts(with: Array("From ".utf8)) {
                // An mbox separator line.
                lineStart = next
                continue
            }
            // Not a header line: the header block ended without the blank line.
            bodyStart = fields.isEmpty ? start : lineStart
            break
        }
        let headers = fields.map { field in
            MailHeader(field.name, String(Charset.decodeUnknown(field.value).trimmingBlanks()))
        }
        return (MailHeaders(headers), bodyStart)
    }

    private static func parseFieldLine(_ line: ArraySlice<UInt8>) -> (name: String, value: [UInt8])? {
        guard let colon = line.firstIndex(of: 58) else { return nil }
        var nameBytes = line[line.startIndex..<colon]
        // Obsolete syntax allows blanks before the colon: "Subject : hello".
        while let last = nameBytes.last, last == 32 || last == 9 { nameBytes = nameBytes.dropLast() }
        guard !nameBytes.isEmpty, nameBytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        return (String(decoding: nameBytes, as: UTF8.self), Array(line[(colon + 1)...]))
    }
}
