/// Finds the person or address a reply points to: "my colleague Jane Roe <jane@acme.example>",
/// "please contact accounts@acme.example", "wenden Sie sich an Frau Erika Schmidt
/// (e.schmidt@acme.example)", "contactez Mme Martin".
struct ContactFinder {
    /// Addresses never proposed: the sender's and our own.
    let excluded: Set<String>

    /// The contact nearest after `cue` (a token index), else nearest before it.
    func contact(in text: TokenizedText, after cue: Int) -> NewContact? {
        let tokens = text.tokens
        let emails = tokens.indices.filter { tokens[$0].kind == .email && !excluded.contains(tokens[$0].text) }
        if let index = emails.first(where: { $0 >= cue && tokens[$0].sentence <= tokens[cue].sentence + 2 }) ?? emails.last(where: { $0 < cue }) {
            return NewContact(name: name(around: index, in: text), email: text.original(index))
        }
        if let name = nameAfter(cue, in: text) { return NewContact(name: name, email: nil) }
        return nil
    }

    /// Any address in the text that is not excluded, with its name.
    func anyContact(in text: TokenizedText) -> NewContact? {
        guard let index = text.tokens.indices.first(where: { text.tokens[$0].kind == .email && !excluded.contains(text.tokens[$0].text) }) else { return nil }
        return NewContact(name: name(around: index, in: text), email: text.original(index))
    }

    private static let honorifics: Set<String> = [
        "mr", "mrs", "ms", "miss", "dr", "herr", "herrn", "frau", "m", "mme", "mlle", "monsieur", "madame", "prof",
    ]
    /// Capitalised words that start sentences or name roles, not people.
    private static let notNames: Set<String> = [
        "please", "kindly", "contact", "email", "e", "mail", "write", "bitte", "kontakt", "kontaktieren", "wenden", "schreiben",
        "merci", "veuillez", "contactez", "ecrivez", "thanks", "thank", "the", "my", "our", "your", "i", "we", "in", "for", "her",
        "his", "sie", "ihr", "ihre", "meine", "mein", "unsere", "ma", "mon", "notre", "votre", "le", "la", "les", "an", "am",
        "bei", "at", "to", "from", "via", "new", "neue", "neuer", "nouvelle", "nouveau", "dear", "hi", "hello", "regards",
        "best", "kind", "mit", "freundlichen", "grussen", "cordialement", "bonjour", "hallo", "guten", "tag", "she", "he",
        "colleague", "kollegin", "kollege", "collegue", "successor", "nachfolger", "nachfolgerin", "urgent", "dringenden",
        "fallen", "cas", "or", "oder", "ou", "and", "und", "et", "tel", "phone", "telefon", "mobile", "fax", "is", "ist", "est",
        "this", "that", "diese", "dieser", "ce", "cette", "if", "wenn", "si", "who", "der", "die", "das", "de", "du", "des",
        "accounting", "buchhaltung", "comptabilite", "team", "department", "abteilung", "service", "finance", "ap",
        "accounts", "payable", "monday", "tuesday", "wednesday", "thursday", "friday", "mrs", "a", "direkt", "directly",
        "gerne", "jederzeit", "unter", "sous", "ab", "sofort", "desormais", "now", "jetzt", "going", "forward", "instead",
        "assistant", "assistante", "assistentin", "manager", "controller", "cfo", "office", "it", "es", "il", "elle", "er",
    ]
    /// Words between a name and its address: "Jane Roe at jane@…", "Erika Schmidt unter e.schmidt@…".
    private static let linkWords: Set<String> = [
        "at", "unter", "a", "via", "email", "e", "mail", "mailto", "adresse", "address", "under", "sur", "per", "by", "on",
        "is", "ist", "est", "reachable", "erreichbar", "joignable", "courriel",
    ]

    private func name(around index: Int, in text: TokenizedText) -> String? {
        let tokens = text.tokens
        var position = index - 1
        // Step back over what sits between a name and its address, without leaving the line.
        while position >= 0, index - position <= 4, tokens[position + 1].lineBreaksBefore == 0, isLink(tokens[position]) {
            position -= 1
        }
        if position >= 0, tokens[position + 1].lineBreaksBefore == 0, let name = nameEnding(at: position, in: text) { return name }
        // "jane@acme.example (Jane Roe)".
        if index + 2 < tokens.count, tokens[index + 1].isSymbol("(") {
            return nameStarting(at: index + 2, in: text)
        }
        return nil
    }

    private func isLink(_ token: Token) -> Bool {
        (token.kind == .symbol && ["<", "(", "[", ":", "-", ",", "\"", "|"].contains(token.text))
            || (token.isWord && !token.isCapitalized && Self.linkWords.contains(token.text))
    }

    /// Up to three name words ending at `last`, on one line.
    private func nameEnding(at last: Int, in text: TokenizedText) -> String? {
        let tokens = text.tokens
        guard isNameWord(tokens[last]) else { return nil }
        var first = last
        while first > 0, last - first < 3, tokens[first].lineBreaksBefore == 0,
              isNameWord(tokens[first - 1]) || isNameParticle(tokens, first - 1) {
            first -= 1
        }
        while first < last, !isNameWord(tokens[first]) { first += 1 }
        return text.original(first, last)
    }

    private func nameStarting(at first: Int, in text: TokenizedText) -> String? {
        let tokens = text.tokens
        var position = first
        while position < tokens.count, Self.honorifics.contains(tokens[position].text) || tokens[position].isSymbol(".") { position += 1 }
        guard position < tokens.count, isNameWord(tokens[position]) else { return nil }
        var last = position
        while last + 1 < tokens.count, last - position < 2, isNameWord(tokens[last + 1]) || isNameParticle(tokens, last + 1),
              tokens[last + 1].lineBreaksBefore == 0 {
            last += 1
        }
        while last > position, !isNameWord(tokens[last]) { last -= 1 }
        return text.original(position, last)
    }

    /// A name written after the cue without an address: "please contact Mr. Smith in accounting".
    private func nameAfter(_ cue: Int, in text: TokenizedText) -> String? {
        let tokens = text.tokens
        var position = cue
        let sentence = tokens[cue].sentence
        while position < tokens.count, position < cue + 8, tokens[position].sentence == sentence {
            if tokens[position].isWord, Self.honorifics.contains(tokens[position].text), tokens[position].isCapitalized {
                return nameStarting(at: position, in: text)
            }
            position += 1
        }
        return nil
    }

    private func isNameWord(_ token: Token) -> Bool {
        token.isWord && token.isCapitalized && token.text.count > 1 && !Self.notNames.contains(token.text) && !Self.honorifics.contains(token.text)
            && Lexicon.months[token.text] == nil
    }

    /// Lowercase particles inside names: "Ursula von der Leyen", "Jean de Florette".
    private func isNameParticle(_ tokens: [Token], _ index: Int) -> Bool {
        ["de", "van", "von", "der", "da", "di", "le", "du"].contains(tokens[index].text) && !tokens[index].isCapitalized
            && index > 0 && isNameWord(tokens[index - 1])
    }
}
