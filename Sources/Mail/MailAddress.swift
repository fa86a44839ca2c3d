/// A mailbox: an address with an optional display name ("Jane Roe <jane@acme.example>").
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public var name: String?
    public var address: String

    public init(_ address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }

    /// The address part lowercased, for comparisons (the local part is case-sensitive in theory,
    /// never in practice).
    public var normalizedAddress: String { address.lowercased() }

    /// The domain after the last "@", lowercased; empty when there is none.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...].lowercased()
    }

    public var description: String {
        guard let name, !name.isEmpty else { return address }
        return "\(name) <\(address)>"
    }

    /// Parses one mailbox; nil when the text holds none.
    public init?(parsing text: String) {
        guard let first = MailAddress.parseList(text).first else { return nil }
        self = first
    }

    /// Parses an address list as found in From/To/Cc: display names (quoted, encoded or plain),
    /// comments, groups ("Team: a@b, c@d;" yields the members) and obsolete routes.
    /// Entries that hold no address are skipped; this never fails.
    public static func parseList(_ text: String) -> [MailAddress] {
        var result: [MailAddress] = []
        var current: [AddressToken] = []
        var inAngle = false
        for token in AddressToken.tokenize(text) {
            switch token {
            case .special("<"):
                inAngle = true
                current.append(token)
            case .special(">"):
                inAngle = false
                current.append(token)
            case .special(","), .special(";"):
                if inAngle { current.append(token); continue }
                if let mailbox = mailbox(from: current) { result.append(mailbox) }
                current = []
            case .special(":") where !inAngle:
                // A group's display name: its members follow.
                current = []
            default:
                current.append(token)
            }
        }
        if let mailbox = mailbox(from: current) { result.append(mailbox) }
        return result
    }

    private static func mailbox(from tokens: [AddressToken]) -> MailAddress? {
        if let open = tokens.firstIndex(of: .special("<")) {
            let close = tokens[open...].firstIndex(of: .special(">")) ?? tokens.endIndex
            var address = addressText(tokens[tokens.index(after: open)..<close])
            // Obsolete source routes: "<@relay.example:jane@acme.example>".
            if let colon = address.lastIndex(of: ":") { address = String(address[address.index(after: colon)...]) }
            guard !address.isEmpty else { return nil }
            var name = displayName(tokens[..<open])
            if name == nil { name = commentText(tokens) }
            return MailAddress(address, name: name)
        }
        let words = tokens.filter { if case .comment = $0 { false } else { true } }
        guard !words.isEmpty else { return nil }
        let address = addressText(words[...])
        // A bare phrase without "@" is a name with no address ("To: John Doe"), unless it is one
        // word, as in "MAILER-DAEMON".
        guard address.contains("@") || words.count == 1 else { return nil }
        return MailAddress(address, name: commentText(tokens))
    }

    private static func addressText(_ tokens: ArraySlice<AddressToken>) -> String {
        var text = ""
        for token in tokens {
            switch token {
            case let .atom(value): text += value
            case let .quoted(value): text += "\"" + value + "\""
            case let .special(character): text.append(character)
            case .comment: continue
            }
        }
        return text
    }

    private static func displayName(_ tokens: ArraySlice<AddressToken>) -> String? {
        var pieces: [String] = []
        for token in tokens {
            switch token {
            case let .atom(value), let .quoted(value): pieces.append(value)
            case let .special(character): pieces.append(String(character))
            case .comment: continue
            }
        }
        return cleanName(pieces.joined(separator: " "))
    }

    private static func commentText(_ tokens: [AddressToken]) -> String? {
        for token in tokens {
            if case let .comment(value) = token, let name = cleanName(value) { return name }
        }
        return nil
    }

    private static func cleanName(_ raw: String) -> String? {
        var name = EncodedWords.decode(raw)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        // Outlook likes to wrap names in single quotes: 'Jane Roe'.
        if name.count >= 2, name.hasPrefix("'"), name.hasSuffix("'") {
            name = String(name.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return name.isEmpty ? nil : name
    }
}

/// Lexical tokens of RFC 5322 structured header text.
enum AddressToken: Equatable {
    case atom(String)
    case quoted(String)
    case comment(String)
    case special(Character)

    private static let specials: Set<Character> = ["<", ">", "@", ",", ";", ":", "."]

    static func tokenize(_ text: String) -> [AddressToken] {
        var tokens: [AddressToken] = []
        var atom = ""
        func flushAtom() {
            if !atom.isEmpty { tokens.append(.atom(atom)) }
            atom = ""
        }
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "\"":
                flushAtom()
                let (value, next) = readQuoted(text, from: text.index(after: index))
                tokens.append(.quoted(value))
                index = next
                continue
            case "(":
                flushAtom()
                let (value, next) = readComment(text, from: text.index(after: index))
                tokens.append(.comment(value))
                index = next
                continue
            case "[":
                // Domain literal, kept whole: "[192.0.2.1]".
                let end = text[index...].firstIndex(of: "]").map { text.index(after: $0) } ?? text.endIndex
                atom += text[index..<end]
                index = end
                continue
            case _ where character.isWhitespace:
                flushAtom()
            case _ where specials.contains(character):
                // Dots inside a dot-atom stay in the atom; only a lone dot is a special.
                if character == ".", !atom.isEmpty {
                    atom.append(character)
                } else {
                    flushAtom()
                    tokens.append(.special(character))
                }
            default:
                atom.append(character)
            }
            index = text.index(after: index)
        }
        flushAtom()
        return tokens
    }

    private static func readQuoted(_ text: String, from start: String.Index) -> (String, String.Index) {
        var value = ""
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { value.append(text[index]) }
            } else if character == "\"" {
                return (value, text.index(after: index))
            } else {
                value.append(character)
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return (value, index)
    }

    private static func readComment(_ text: String, from start: String.Index) -> (String, String.Index) {
        var value = ""
        var depth = 1
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { value.append(text[index]) }
            } else if character == "(" {
                depth += 1
                value.append(character)
            } else if character == ")" {
                depth -= 1
                if depth == 0 { return (value, text.index(after: index)) }
                value.append(character)
            } else {
                value.append(character)
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return (value, index)
    }
}
