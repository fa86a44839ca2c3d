/// Content-Transfer-Encoding codecs (RFC 2045) and the header "Q" encoding (RFC 2047).
enum TransferEncoding {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    // MARK: Quoted-printable

    /// Encodes text as quoted-printable with CRLF line ends and encoded lines of at most 76 octets.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = normalizedLines(text)
        for (index, line) in lines.enumerated() {
            encodeQuotedPrintableLine(Array(line.utf8), into: &output)
            if index < lines.count - 1 { output += [13, 10] }
        }
        return output
    }

    private static func encodeQuotedPrintableLine(_ bytes: [UInt8], into output: inout [UInt8]) {
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal = (byte >= 33 && byte <= 126 && byte != 61)
                || ((byte == 32 || byte == 9) && !isLast)  // trailing blanks would be stripped in transit
            let width = literal ? 1 : 3
            // Keep room for the "=" of a soft break unless this is the line's last octet.
            let limit = isLast ? 76 : 75
            if lineLength + width > limit {
                output += [61, 13, 10]
                lineLength = 0
            }
            if literal {
                output.append(byte)
            } else {
                output += [61, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            lineLength += width
        }
    }

    /// Decodes quoted-printable leniently: malformed escapes are kept as they are.
    static func decodeQuotedPrintable(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        let lines = lines(of: Array(bytes))
        for (index, line) in lines.enumerated() {
            var content = line
            // Transport may add trailing blanks; RFC 2045 says to drop them.
            while let last = content.last, last == 32 || last == 9 { content.removeLast() }
            let softBreak = content.last == 61
            if softBreak { content.removeLast() }
            decodeEscapes(content, underscoreIsSpace: false, into: &output)
            if !softBreak && index < lines.count - 1 { output += [13, 10] }
        }
        return output
    }

    /// Decodes the RFC 2047 "Q" encoding: like quoted-printable, with "_" standing for a space.
    static func decodeQ(_ text: Substring) -> [UInt8] {
        var output: [UInt8] = []
        decodeEscapes(Array(text.utf8), underscoreIsSpace: true, into: &output)
        return output
    }

    private static func decodeEscapes(_ bytes: [UInt8], underscoreIsSpace: Bool, into output: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 61, index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
                continue
            }
            output.append(underscoreIsSpace && byte == 95 ? 32 : byte)
            index += 1
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }

    // MARK: Base64

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let base64Values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in base64Alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        // Tolerate the URL-safe alphabet too; some gateways produce it.
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes base64, skipping whitespace and junk and accepting missing padding.
    static func decodeBase64(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var count = 0
        for byte in bytes {
            if byte == 61 { break }
            let value = base64Values[Int(byte)]
            if value == 0xFF { continue }
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output += [UInt8(accumulator >> 16 & 0xFF), UInt8(accumulator >> 8 & 0xFF), UInt8(accumulator & 0xFF)]
                accumulator = 0
                count = 0
            }
        }
        switch count {
        case 2: output.append(UInt8(accumulator >> 4 & 0xFF))
        case 3: output += [UInt8(accumulator >> 10 & 0xFF), UInt8(accumulator >> 2 & 0xFF)]
        default: break
        }
        return output
    }

    static func base64(_ bytes: [UInt8]) -> String {
        var output = ""
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = UInt32(chunk[0]) << 16
                | UInt32(chunk.count > 1 ? chunk[1] : 0) << 8
                | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for position in 0..<4 {
                if position <= chunk.count {
                    let sextet = Int(value >> (18 - 6 * position) & 0x3F)
                    output.unicodeScalars.append(Unicode.Scalar(base64Alphabet[sextet]))
                } else {
                    output.append("=")
                }
            }
            index += 3
        }
        return output
    }

    // MARK: Lines

    /// Splits text into lines at CRLF, LF or a lone CR (scanning bytes, not characters, for speed).
    static func normalizedLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 10 || byte == 13 {
                lines.append(text[start..<index])
                var next = bytes.index(after: index)
                if byte == 13, next < bytes.endIndex, bytes[next] == 10 { next = bytes.index(after: next) }
                start = next
                index = next
            } else {
                index = bytes.index(after: index)
            }
        }
        lines.append(text[start...])
        return lines
    }

    /// Splits bytes into lines at LF, dropping a CR before it.
    static func lines(of bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 10 {
            var end = index
            if end > start, bytes[end - 1] == 13 { end -= 1 }
            result.append(Array(bytes[start..<end]))
            start = index + 1
        }
        result.append(Array(bytes[start...]))
        return result
    }
}
