/// RFC 2047 encoded-words ("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=") in header text.
enum EncodedWords {
    /// Longest encoded-word RFC 2047 allows.
    private static let maxWordLength = 75
    private static let prefixQ = "=?UTF-8?Q?"
    private static let prefixB = "=?UTF-8?B?"

    // MARK: Decoding

    private enum Segment {
        case text(Substring)
        case encoded(charset: Substring, bytes: [UInt8])
    }

    /// Decodes every encoded-word in `text`. Whitespace between two encoded-words is dropped, as
    /// RFC 2047 requires; adjacent words in one charset are joined before decoding so a character
    /// split across two words (a common encoder bug) survives.
    static func decode(_ text: String) -> String {
        guard text.range(ofASCII: "=?") != nil else { return text }
        var segments: [Segment] = []
        var cursor = text.startIndex
        var plainStart = cursor
        while let start = text[cursor...].range(ofASCII: "=?")?.lowerBound {
            guard let (charset, bytes, end) = parseWord(text, at: start) else {
                cursor = text.index(after: start)
                continue
            }
            if plainStart < start { segments.append(.text(text[plainStart..<start])) }
            segments.append(.encoded(charset: charset, bytes: bytes))
            cursor = end
            plainStart = end
        }
        if plainStart < text.endIndex { segments.append(.text(text[plainStart...])) }
        return render(segments)
    }

    private static func render(_ segments: [Segment]) -> String {
        var output = ""
        var pending: (charset: Substring, bytes: [UInt8])?
        func flush() {
            if let run = pending { output += Charset.decode(run.bytes, charset: String(run.charset)) }
            pending = nil
        }
        func isEncoded(_ index: Int) -> Bool {
            guard segments.indices.contains(index), case .encoded = segments[index] else { return false }
            return true
        }
        for (index, segment) in segments.enumerated() {
            switch segment {
            case let .encoded(charset, bytes):
                if let run = pending, run.charset.lowercased() == charset.lowercased() {
                    pending = (run.charset, run.bytes + bytes)
                } else {
                    flush()
                    pending = (charset, bytes)
                }
            case let .text(plain):
                let betweenWords = plain.allSatisfy(\.isWhitespace) && isEncoded(index - 1) && isEncoded(index + 1)
                if betweenWords { continue }
                flush()
                output += plain
            }
        }
        flush()
        return output
    }

    /// Parses "=?charset?X?payload?=" starting at `start`.
    private static func parseWord(_ text: String, at start: String.Index) -> (Substring, [UInt8], String.Index)? {
        let afterOpen = text.index(start, offsetBy: 2)
        guard let charsetEnd = text[afterOpen...].firstIndex(of: "?") else { return nil }
        var charset = text[afterOpen..<charsetEnd]
        guard !charset.isEmpty, charset.count <= 40, !charset.contains(where: { $0.isWhitespace }) else { return nil }
        // RFC 2231 allows a language suffix: "UTF-8*de".
        if let star = charset.firstIndex(of: "*") { charset = charset[..<star] }
        let encodingIndex = text.index(after: charsetEnd)
        guard encodingIndex < text.endIndex else { return nil }
        let encoding = text[encodingIndex]
        let payloadStart = text.index(after: encodingIndex)
        guard payloadStart < text.endIndex, text[payloadStart] == "?" else { return nil }
        let payloadFrom = text.index(after: payloadStart)
        guard let close = text[payloadFrom...].range(ofASCII: "?=") else { return nil }
        let payload = text[payloadFrom..<close.lowerBound]
        guard !payload.contains(where: { $0 == "\n" || $0 == "\r" }) else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b": bytes = TransferEncoding.decodeBase64(payload.utf8)
        case "Q", "q": bytes = TransferEncoding.decodeQ(payload)
        default: return nil
        }
        return (charset, bytes, close.upperBound)
    }

    // MARK: Encoding

    /// Encodes text as UTF-8 encoded-words of at most 75 characters each, choosing Q or B by size.
    /// The words are meant to be separated by folding whitespace, which decoders drop.
    static func encode(_ text: String, maxLength: Int = maxWordLength) -> [String] {
        let length = min(maxLength, maxWordLength)
        let qLength = text.utf8.reduce(0) { $0 + qWidth($1) }
        let bLength = (text.utf8.count + 2) / 3 * 4
        return qLength <= bLength ? encodeQ(text, maxLength: length) : encodeB(text, maxLength: length)
    }

    private static func encodeQ(_ text: String, maxLength: Int) -> [String] {
        var words: [String] = []
        var payload = ""
        let capacity = maxLength - prefixQ.count - 2
        // Split between characters, never inside one, so each word decodes on its own.
        for character in text {
            var piece = ""
            for byte in String(character).utf8 { piece += qEncoded(byte) }
            if payload.utf8.count + piece.utf8.count > capacity, !payload.isEmpty {
                words.append(prefixQ + payload + "?=")
                payload = ""
            }
            payload += piece
        }
        if !payload.isEmpty { words.append(prefixQ + payload + "?=") }
        return words
    }

    private static func encodeB(_ text: String, maxLength: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        let capacityBytes = (maxLength - prefixB.count - 2) / 4 * 3
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > capacityBytes, !chunk.isEmpty {
                words.append(prefixB + TransferEncoding.base64(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(prefixB + TransferEncoding.base64(chunk) + "?=") }
        return words
    }

    /// Characters safe unencoded in a Q word anywhere, including display names (RFC 2047 §5(3)).
    private static func isQLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122, 33, 42, 43, 45, 47: true
        default: false
        }
    }

    private static func qWidth(_ byte: UInt8) -> Int {
        isQLiteral(byte) || byte == 32 ? 1 : 3
    }

    private static func qEncoded(_ byte: UInt8) -> String {
        if byte == 32 { return "_" }
        if isQLiteral(byte) { return String(UnicodeScalar(byte)) }
        let hex = Array("0123456789ABCDEF")
        return "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
