/// A word, number, symbol, e-mail address or URL of a reply, with what matching needs to know.
struct Token {
    enum Kind: UInt8 {
        case word, number, symbol, email, url
        /// An amount, date or code collapsed into one token (see `TokenizedText.collapsing`).
        case amount, date, code
    }

    let kind: Kind
    /// Folded (lowercase, no accents) for words and e-mail addresses; digits for numbers.
    let text: String
    /// Scalar offsets of the token in the source.
    let start: Int
    let end: Int
    /// Whitespace came before this token.
    let spaceBefore: Bool
    /// Line breaks between the previous token and this one.
    let lineBreaksBefore: Int
    /// A word written with an uppercase first letter.
    let isCapitalized: Bool
    /// Index of the sentence (or short line) the token belongs to.
    var sentence: Int = 0

    var isWord: Bool { kind == .word }
    var isNumber: Bool { kind == .number }
    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

/// Text broken into tokens and sentences. Keeps the source for quoting reasons and names.
struct TokenizedText {
    let scalars: [Unicode.Scalar]
    let tokens: [Token]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var tokenizer = Tokenizer(scalars)
        var tokens = tokenizer.run()
        Self.assignSentences(&tokens, scalars: scalars)
        self.tokens = tokens
    }

    private init(scalars: [Unicode.Scalar], tokens: [Token]) {
        self.scalars = scalars
        self.tokens = tokens
    }

    /// The same text with each span (an amount, a date, an invoice code) collapsed into one
    /// token of the given kind, so "payment of €1,234.56 will be made" reads like "payment of X
    /// will be made" to phrase patterns. Spans must not overlap. Returns the new index of each
    /// span's token, in the order given.
    func collapsing(_ spans: [(range: Range<Int>, kind: Token.Kind)]) -> (text: TokenizedText, positions: [Int]) {
        let ordered = spans.enumerated().sorted { $0.element.range.lowerBound < $1.element.range.lowerBound }
        var collapsed: [Token] = []
        collapsed.reserveCapacity(tokens.count)
        var positions = [Int](repeating: 0, count: spans.count)
        var index = 0
        var next = 0
        while index < tokens.count {
            if next < ordered.count, ordered[next].element.range.lowerBound == index {
                let (original, span) = ordered[next]
                let first = tokens[span.range.lowerBound]
                let last = tokens[span.range.upperBound - 1]
                var token = Token(
                    kind: span.kind, text: "", start: first.start, end: last.end, spaceBefore: first.spaceBefore,
                    lineBreaksBefore: first.lineBreaksBefore, isCapitalized: false
                )
                token.sentence = first.sentence
                positions[original] = collapsed.count
                collapsed.append(token)
                index = span.range.upperBound
                next += 1
            } else {
                collapsed.append(tokens[index])
                index += 1
            }
        }
        return (TokenizedText(scalars: scalars, tokens: collapsed), positions)
    }

    /// The source text from token `from` through token `through`, as written.
    func original(_ from: Int, _ through: Int) -> String {
        guard from <= through, tokens.indices.contains(from), tokens.indices.contains(through) else { return "" }
        return String(String.UnicodeScalarView(scalars[tokens[from].start..<tokens[through].end]))
    }

    /// The token as written.
    func original(_ index: Int) -> String { original(index, index) }

    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "nr", "no", "st", "ca", "bzw", "inkl", "evtl", "ggf", "usw", "vgl", "etc",
        "mme", "mlle", "hr", "fr", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt",
        "nov", "dec", "dez", "vs", "approx", "ref", "tel", "inv", "re", "fa", "ste", "cie", "ltd", "inc", "co", "e",
    ]

    /// Sentences end at . ! ? ; and at paragraph breaks. A line break also ends one after a short
    /// line (people often write one statement per line), but not inside hard-wrapped paragraphs.
    private static func assignSentences(_ tokens: inout [Token], scalars: [Unicode.Scalar]) {
        var sentence = 0
        var lineLength = 0
        var lineStart = 0
        for index in tokens.indices {
            let token = tokens[index]
            if index > 0, token.lineBreaksBefore > 0 {
                lineLength = tokens[index - 1].end - lineStart
                if token.lineBreaksBefore > 1 || lineLength < 55 { sentence += 1 }
            }
            if token.lineBreaksBefore > 0 || index == 0 { lineStart = token.start }
            if index > 0, endsSentence(tokens, at: index - 1) { sentence += 1 }
            tokens[index].sentence = sentence
        }
    }

    private static func endsSentence(_ tokens: [Token], at index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .symbol else { return false }
        switch token.text {
        case "!", "?", ";", "…":
            return true
        case ".":
            let next = index + 1 < tokens.count ? tokens[index + 1] : nil
            guard next == nil || next!.spaceBefore else { return false }
            guard index > 0 else { return true }
            let previous = tokens[index - 1]
            if previous.isWord, abbreviations.contains(previous.text) || previous.text.count == 1 { return false }
            if previous.isNumber, let next, next.lineBreaksBefore == 0 {
                // "am 15. März", "le 3. rappel": after a number, a dot ends a sentence only before a
                // capitalised word that is not a month.
                return next.isWord && next.isCapitalized && Lexicon.months[next.text] == nil
            }
            return true
        default:
            return false
        }
    }
}

/// The scanner behind `TokenizedText`.
private struct Tokenizer {
    let scalars: [Unicode.Scalar]
    var tokens: [Token] = []
    var index = 0
    var spaceBefore = false
    var lineBreaks = 0

    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    mutating func run() -> [Token] {
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                lineBreaks += 1
                spaceBefore = true
                index += 1
            } else if scalar.properties.isWhitespace || scalar == "\u{200B}" || scalar == "\u{FEFF}" {
                spaceBefore = true
                index += 1
            } else if let end = urlEnd(at: index) {
                emit(.url, Folding.fold(slice(index, end)), index, end)
            } else if let end = emailEnd(at: index) {
                emit(.email, Folding.fold(slice(index, end)), index, end)
            } else if isDigit(scalar) {
                var end = index
                while end < scalars.count, isDigit(scalars[end]) { end += 1 }
                emit(.number, slice(index, end), index, end)
            } else if isLetter(scalar) {
                var end = index
                var folded = ""
                while end < scalars.count, isLetter(scalars[end]) || isCombining(scalars[end]) {
                    Folding.append(scalars[end], to: &folded)
                    end += 1
                }
                emit(.word, folded, index, end)
            } else if isApostrophe(scalar), index > 0, index + 1 < scalars.count, isDigit(scalars[index - 1]), isDigit(scalars[index + 1]) {
                // Swiss thousands separator: 1'250.50.
                emit(.symbol, "'", index, index + 1)
            } else if isApostrophe(scalar) {
                // Splits "don't" into "don" + "t" and "l'avoir" into "l" + "avoir".
                index += 1
            } else if scalar == "-", index > 0, index + 1 < scalars.count, isLetter(scalars[index - 1]), isLetter(scalars[index + 1]) {
                // A hyphen inside a word ("e-mail", "out-of-office") separates words, nothing more.
                index += 1
            } else {
                emit(.symbol, normalizedSymbol(scalar), index, index + 1)
            }
        }
        return tokens
    }

    private mutating func emit(_ kind: Token.Kind, _ text: String, _ start: Int, _ end: Int) {
        tokens.append(Token(
            kind: kind, text: text, start: start, end: end, spaceBefore: spaceBefore || tokens.isEmpty,
            lineBreaksBefore: lineBreaks, isCapitalized: kind == .word && scalars[start].properties.isUppercase
        ))
        spaceBefore = false
        lineBreaks = 0
        index = end
    }

    private func slice(_ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(scalars[start..<end]))
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    private func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 { return (scalar.value | 32) >= 97 && (scalar.value | 32) <= 122 }
        return scalar.properties.isAlphabetic
    }

    private func isCombining(_ scalar: Unicode.Scalar) -> Bool { (0x0300...0x036F).contains(scalar.value) }

    private func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" || scalar == "\u{02BC}" || scalar == "`"
    }

    private func normalizedSymbol(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\u{2013}", "\u{2014}", "\u{2212}": "-"
        case "\u{201C}", "\u{201D}", "\u{201E}", "\u{00AB}", "\u{00BB}": "\""
        default: String(scalar)
        }
    }

    private func isEmailLocal(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value < 128 else { return false }
        return isDigit(scalar) || isLetter(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }

    /// The end of an e-mail address starting at `start`, if one does.
    private func emailEnd(at start: Int) -> Int? {
        guard isEmailLocal(scalars[start]), scalars[start] != ".", start == 0 || !isEmailLocal(scalars[start - 1]) else { return nil }
        var at = start
        while at < scalars.count, isEmailLocal(scalars[at]) { at += 1 }
        guard at < scalars.count, scalars[at] == "@", at > start else { return nil }
        var end = at + 1
        while end < scalars.count, scalars[end].value < 128, isDigit(scalars[end]) || isLetter(scalars[end]) || scalars[end] == "." || scalars[end] == "-" {
            end += 1
        }
        while end > at + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }
        let domain = scalars[(at + 1)..<end]
        guard let lastDot = domain.lastIndex(of: "."), lastDot > at + 1, end - lastDot > 2 else { return nil }
        return end
    }

    private static let urlPrefixes = ["http://", "https://", "www."].map { Array($0.unicodeScalars) }

    private func urlEnd(at start: Int) -> Int? {
        guard scalars[start] == "h" || scalars[start] == "H" || scalars[start] == "w" || scalars[start] == "W" else { return nil }
        let matches = Self.urlPrefixes.contains { prefix in
            start + prefix.count <= scalars.count
                && zip(scalars[start..<(start + prefix.count)], prefix).allSatisfy { $0 == $1 || ($0.value | 32) == $1.value && $1.properties.isAlphabetic }
        }
        guard matches else { return nil }
        var end = start
        while end < scalars.count, !scalars[end].properties.isWhitespace, !"<>\"'".unicodeScalars.contains(scalars[end]) { end += 1 }
        while end > start, ".,;:!?)".unicodeScalars.contains(scalars[end - 1]) { end -= 1 }
        return end
    }
}
