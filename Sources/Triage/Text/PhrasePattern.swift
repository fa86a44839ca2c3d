/// A compiled phrase over tokens, written as space-separated elements:
/// - `pay|settle*` one token among alternatives; a trailing `*` matches a prefix;
/// - `the?` an optional element;
/// - `~3` up to three tokens of anything except a negator (French "ne" alone does not count: its
///   "pas" does);
/// - `#` a number (digits or a counting word), `%weekday`, `%month`, `@` an e-mail address,
///   `^` a capitalised word, `%date` and `%amount` a collapsed date or amount; digits such as
///   `550` match that number.
/// Words are folded when compiled, so patterns may be written with accents.
/// A match never leaves the sentence it starts in.
struct PhrasePattern: Sendable {
    fileprivate enum Element: Sendable {
        case token(TokenMatcher, optional: Bool)
        case gap(Int)
    }

    fileprivate struct TokenMatcher: Sendable {
        var exact: Set<String> = []
        var prefixes: [String] = []
        var number = false
        var weekday = false
        var month = false
        var email = false
        var capitalized = false
        var date = false
        var amount = false

        func matches(_ token: Token) -> Bool {
            switch token.kind {
            case .word:
                if exact.contains(token.text) { return true }
                if capitalized, token.isCapitalized { return true }
                if number, Lexicon.numberWords[token.text] != nil { return true }
                if weekday, Lexicon.weekdays[token.text] != nil { return true }
                if month, Lexicon.months[token.text] != nil { return true }
                return prefixes.contains { token.text.hasPrefix($0) }
            case .number:
                return number || exact.contains(token.text)
            case .email:
                return email
            case .symbol:
                return exact.contains(token.text)
            case .date:
                return date
            case .amount:
                return amount
            case .url, .code:
                return false
            }
        }
    }

    fileprivate let elements: [Element]
    let source: String

    init(_ source: String) {
        self.source = source
        elements = source.split(separator: " ").map { item in
            if item.hasPrefix("~"), let count = Int(item.dropFirst()) { return .gap(count) }
            var text = Substring(item)
            let optional = text.count > 1 && text.hasSuffix("?")
            if optional { text = text.dropLast() }
            var matcher = TokenMatcher()
            for alternative in text.split(separator: "|") {
                switch alternative {
                case "#": matcher.number = true
                case "%weekday": matcher.weekday = true
                case "%month": matcher.month = true
                case "@": matcher.email = true
                case "^": matcher.capitalized = true
                case "%date": matcher.date = true
                case "%amount": matcher.amount = true
                case _ where alternative.count > 1 && alternative.hasSuffix("*"):
                    matcher.prefixes.append(Folding.fold(alternative.dropLast()))
                default:
                    matcher.exact.insert(Folding.fold(alternative))
                }
            }
            return .token(matcher, optional: optional)
        }
        precondition(!elements.isEmpty, "empty phrase pattern")
    }

    /// The words that can start a match, for indexing; nil when the first element is not plain words.
    var leadingWords: Set<String>? {
        guard case let .token(matcher, optional: false) = elements[0], matcher.prefixes.isEmpty,
              !matcher.number, !matcher.weekday, !matcher.month, !matcher.email, !matcher.capitalized,
              !matcher.date, !matcher.amount else { return nil }
        return matcher.exact
    }

    /// The end (exclusive) of a match starting at `start`, preferring the shortest.
    func match(_ tokens: [Token], at start: Int) -> Int? {
        guard start < tokens.count else { return nil }
        return match(element: 0, tokens, start, sentence: tokens[start].sentence)
    }

    private func match(element: Int, _ tokens: [Token], _ index: Int, sentence: Int) -> Int? {
        if element == elements.count { return index }
        switch elements[element] {
        case let .gap(count):
            var position = index
            for _ in 0...count {
                if let end = match(element: element + 1, tokens, position, sentence: sentence) { return end }
                guard position < tokens.count, tokens[position].sentence == sentence,
                      !(tokens[position].isWord && Lexicon.gapBlockers.contains(tokens[position].text)) else { return nil }
                position += 1
            }
            return nil
        case let .token(matcher, optional):
            if index < tokens.count, tokens[index].sentence == sentence, matcher.matches(tokens[index]),
               let end = match(element: element + 1, tokens, index + 1, sentence: sentence) {
                return end
            }
            return optional ? match(element: element + 1, tokens, index, sentence: sentence) : nil
        }
    }
}

/// Many patterns matched together, indexed by their first word so each token tries only the
/// patterns that can start with it.
struct PhrasePatternSet<Payload: Sendable>: Sendable {
    struct Match {
        let payload: Payload
        let start: Int
        let end: Int
    }

    private let entries: [(pattern: PhrasePattern, payload: Payload)]
    private let byLeadingWord: [String: [Int]]
    private let unindexed: [Int]

    init(_ entries: [(String, Payload)]) {
        self.entries = entries.map { (PhrasePattern($0.0), $0.1) }
        var index: [String: [Int]] = [:]
        var unindexed: [Int] = []
        for (position, entry) in self.entries.enumerated() {
            if let words = entry.pattern.leadingWords {
                for word in words { index[word, default: []].append(position) }
            } else {
                unindexed.append(position)
            }
        }
        // Patterns that can start anywhere join every word's list once, here, not per token.
        byLeadingWord = index.mapValues { ($0 + unindexed).sorted() }
        self.unindexed = unindexed
    }

    /// Every match, in order of start position; at one start, in pattern order.
    func matches(in tokens: [Token]) -> [Match] {
        var found: [Match] = []
        for start in tokens.indices {
            for position in candidates(for: tokens[start]) {
                if let end = entries[position].pattern.match(tokens, at: start) {
                    found.append(Match(payload: entries[position].payload, start: start, end: end))
                }
            }
        }
        return found
    }

    /// The longest match starting exactly at `start`, if any.
    func longestMatch(in tokens: [Token], at start: Int) -> Match? {
        var best: Match?
        for position in candidates(for: tokens[start]) {
            if let end = entries[position].pattern.match(tokens, at: start), end > (best?.end ?? start) {
                best = Match(payload: entries[position].payload, start: start, end: end)
            }
        }
        return best
    }

    private func candidates(for token: Token) -> [Int] {
        byLeadingWord[token.text] ?? unindexed
    }
}
