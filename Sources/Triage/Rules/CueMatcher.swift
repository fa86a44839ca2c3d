/// A cue found in the text, after negation and tense checks.
struct CueHit {
    let cue: Cue
    let start: Int
    let end: Int
    let sentence: Int

    var signal: Signal { cue.signal }
}

/// Runs a cue set over tokens and drops hits that a negation or the wrong tense cancels.
enum CueMatcher {
    static func hits(_ set: PhrasePatternSet<Cue>, in tokens: [Token]) -> [CueHit] {
        set.matches(in: tokens).compactMap { match in
            let cue = match.payload
            // A phrase that spells out its own negation ("never ordered", "ne … pas conformes") is
            // not cancelled by it.
            let negatedWithin = tokens[match.start..<match.end].contains { $0.isWord && Lexicon.gapBlockers.contains($0.text) }
            if cue.checksNegation, !negatedWithin, isNegated(tokens, start: match.start, end: match.end) { return nil }
            let sentence = tokens[match.start].sentence
            if cue.rejectsFuture, hasMarker(Lexicon.futureMarkers, tokens, from: match.start - 3, to: match.end, sentence: sentence)
                || (match.end < tokens.count && ["werden", "sein", "etre"].contains(tokens[match.end].text)) {
                // "muss bezahlt werden", "doit être payée": an obligation, not a payment made.
                return nil
            }
            if cue.rejectsPast, hasMarker(Lexicon.pastMarkers, tokens, from: match.start - 3, to: match.start, sentence: sentence) { return nil }
            return CueHit(cue: cue, start: match.start, end: match.end, sentence: sentence)
        }
    }

    /// A negator among the three words before the phrase, or a strong one among the three after
    /// it, within the same clause ("not yet paid", "wir zahlen nicht", "ne paierons pas").
    static func isNegated(_ tokens: [Token], start: Int, end: Int) -> Bool {
        let sentence = tokens[start].sentence
        var position = start - 1
        var seen = 0
        while position >= 0, seen < 3, tokens[position].sentence == sentence, tokens[position].kind != .symbol || tokens[position].text == "'" {
            if Lexicon.conjunctions.contains(tokens[position].text) { break }
            if negates(tokens, at: position, strongOnly: false) { return true }
            position -= 1
            seen += 1
        }
        position = end
        seen = 0
        while position < tokens.count, seen < 3, tokens[position].sentence == sentence, tokens[position].kind != .symbol {
            if Lexicon.conjunctions.contains(tokens[position].text) { break }
            if negates(tokens, at: position, strongOnly: true) { return true }
            position += 1
            seen += 1
        }
        return false
    }

    private static func negates(_ tokens: [Token], at position: Int, strongOnly: Bool) -> Bool {
        let text = tokens[position].text
        guard tokens[position].isWord, strongOnly ? Lexicon.trailingNegators.contains(text) : Lexicon.negators.contains(text) else { return false }
        // "no later than", "nicht später als", "pas plus tard": limits, not negations.
        if position + 1 < tokens.count, Lexicon.negationCancellers.contains(tokens[position + 1].text) { return false }
        return true
    }

    /// A marker word from `from` up to (not including) `to`, in the sentence of the phrase.
    private static func hasMarker(_ markers: Set<String>, _ tokens: [Token], from: Int, to: Int, sentence: Int) -> Bool {
        (max(from, 0)..<min(to, tokens.count)).contains { position in
            tokens[position].sentence == sentence && tokens[position].isWord && markers.contains(tokens[position].text)
        }
    }
}
