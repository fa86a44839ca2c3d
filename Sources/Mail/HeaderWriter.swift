/// Writes header fields: encodes non-ASCII text as encoded-words and folds lines at 78 octets.
enum HeaderWriter {
    private static let foldWidth = 78
    /// A word longer than this would overflow a 998-octet line, so it is encoded, which lets it fold.
    private static let longestPlainWord = 900

    /// Joins tokens with single spaces, breaking the line before a token that would pass 78 octets.
    static func field(_ name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var current = name + ":"
        var currentLength = current.utf8.count
        var lineHasToken = false
        for token in tokens where !token.isEmpty {
            let length = token.utf8.count
            if lineHasToken, currentLength + 1 + length > foldWidth {
                lines.append(current)
                current = " " + token
                currentLength = 1 + length
            } else {
                current += " " + token
                currentLength += 1 + length
            }
            lineHasToken = true
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// Tokens of unstructured text (Subject, most extra headers). Runs of words that need encoding
    /// become encoded-words; the spaces inside a run are encoded with it, since decoders drop
    /// whitespace between adjacent encoded-words.
    static func unstructuredTokens(_ text: String, fieldName: String) -> [String] {
        let wordLength = encodedWordLength(fieldName)
        let words = singleLine(text).split(separator: " ")
        var tokens: [String] = []
        var run: [Substring] = []
        func flushRun() {
            if !run.isEmpty { tokens += EncodedWords.encode(run.joined(separator: " "), maxLength: wordLength) }
            run = []
        }
        for word in words {
            if needsEncoding(word) {
                run.append(word)
            } else {
                flushRun()
                tokens.append(String(word))
            }
        }
        flushRun()
        return tokens
    }

    /// Tokens of a display name: plain words when they are all atoms, a quoted string when they
    /// hold specials, encoded-words when they are not ASCII.
    static func phraseTokens(_ name: String, fieldName: String) -> [String] {
        let text = singleLine(name).split(separator: " ").joined(separator: " ")
        if text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 32 || $0.value == 127 }) || looksEncoded(Substring(text)) {
            return EncodedWords.encode(text, maxLength: encodedWordLength(fieldName))
        }
        if text.unicodeScalars.allSatisfy({ $0 == " " || isAtomText($0) }) {
            return text.split(separator: " ").map(String.init)
        }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        if escaped.utf8.count <= 60 { return ["\"" + escaped + "\""] }
        // Folding whitespace may sit inside a quoted string, so it can still fold at its spaces.
        var tokens = escaped.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        tokens[0] = "\"" + tokens[0]
        tokens[tokens.count - 1] += "\""
        return tokens
    }

    /// Tokens of an address list, commas attached to the address they follow.
    static func addressTokens(_ addresses: [MailAddress], fieldName: String) -> [String] {
        var tokens: [String] = []
        for (index, mailbox) in addresses.enumerated() {
            var mailboxTokens: [String]
            let address = singleLine(mailbox.address).filter { $0 != " " }
            if let name = mailbox.name, !name.trimmingCharacters(in: .whitespaces).isEmpty {
                mailboxTokens = phraseTokens(name, fieldName: fieldName) + ["<" + address + ">"]
            } else {
                mailboxTokens = [address]
            }
            if index < addresses.count - 1 { mailboxTokens[mailboxTokens.count - 1] += "," }
            tokens += mailboxTokens
        }
        return tokens
    }

    /// Replaces line breaks and tabs, so no value can inject a header line.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\t" ? " " : $0 })
    }

    /// A header name reduced to the characters RFC 5322 allows in one.
    static func sanitizedName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.value >= 33 && $0.value <= 126 && $0 != ":" }.map(Character.init))
    }

    /// Encoded-words short enough to share the first line with the field name, within RFC 2047's 75.
    private static func encodedWordLength(_ fieldName: String) -> Int {
        min(75, max(40, foldWidth - fieldName.utf8.count - 2))
    }

    private static func needsEncoding(_ word: Substring) -> Bool {
        word.utf8.count > longestPlainWord
            || word.unicodeScalars.contains { !$0.isASCII || $0.value < 32 || $0.value == 127 }
            || looksEncoded(word)
    }

    /// Plain text that a decoder would mistake for an encoded-word must itself be encoded.
    private static func looksEncoded(_ word: Substring) -> Bool {
        word.range(ofASCII: "=?") != nil && word.range(ofASCII: "?=") != nil
    }

    private static func isAtomText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
        }
    }
}
