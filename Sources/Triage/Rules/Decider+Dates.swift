import Dunning

/// Which written date belongs to a promise, a deferral or an absence.
extension Decider {
    static let invoiceDateWords: Set<String> = ["dated", "vom", "datee", "of", "issued", "ausgestellt", "emise"]

    func isInvoiceDate(_ mention: DateMention) -> Bool {
        guard mention.start > 0 else { return false }
        return Self.invoiceDateWords.contains(body.tokens[mention.start - 1].text)
    }

    /// The date written nearest a cue: after it in the same sentence, then before it, then in the
    /// next or previous sentence.
    func nearestDate(_ cues: [CueHit], preferring direction: TimeDirection, requireFuture: Bool) -> (DateMention, DateSpan)? {
        let usable = dates.compactMap { mention -> (DateMention, DateSpan)? in
            guard !isInvoiceDate(mention), let span = mention.expression.resolve(relativeTo: today, preferring: direction) else { return nil }
            if requireFuture, span.end < today { return nil }
            return (mention, span)
        }
        for cue in cues {
            let ranked = usable.compactMap { candidate -> (Int, (DateMention, DateSpan))? in
                let mention = candidate.0
                let rank: Int
                if mention.sentence == cue.sentence {
                    rank = mention.start >= cue.start ? mention.start - cue.start : 1000 + cue.start - mention.end
                } else if mention.sentence == cue.sentence + 1 {
                    rank = 2000 + mention.start - cue.end
                } else if mention.sentence == cue.sentence - 1 {
                    rank = 3000 + cue.start - mention.end
                } else {
                    return nil
                }
                return (rank, candidate)
            }
            if let best = ranked.min(by: { $0.0 < $1.0 }) { return best.1 }
        }
        return nil
    }

    func datedPromise(_ cues: [CueHit]) -> (date: CalendarDate, text: String)? {
        guard !cues.isEmpty else { return nil }
        if let (mention, span) = nearestDate(cues, preferring: .future, requireFuture: true) {
            return (span.end, body.original(mention.start, mention.end - 1))
        }
        // A date elsewhere in a short reply still belongs to the promise ("Will pay. Date: 20.03.").
        for mention in dates where !isInvoiceDate(mention) {
            if let span = mention.expression.resolve(relativeTo: today, preferring: .future), span.end >= today {
                return (span.end, body.original(mention.start, mention.end - 1))
            }
        }
        return nil
    }

    /// A date that follows one of `words` in the sentence of a cue ("not … until the 30th").
    func dateAfter(_ cues: [CueHit], within words: Set<String>) -> (date: CalendarDate, text: String)? {
        for cue in cues {
            for mention in dates where mention.sentence == cue.sentence && mention.start >= cue.end {
                let window = body.tokens[max(cue.end, mention.start - 3)..<mention.start]
                guard window.contains(where: { words.contains($0.text) }),
                      let span = mention.expression.resolve(relativeTo: today, preferring: .future), span.end >= today else { continue }
                return (span.end, body.original(mention.start, mention.end - 1))
            }
        }
        return nil
    }

    static let returnWords: Set<String> = [
        "back", "return", "returning", "returns", "available", "reachable", "resume", "erreichbar", "zuruck", "wieder",
        "retour", "rentre", "rentrerai", "disponible", "joignable", "reprendrai", "reprise",
    ]
    static let untilWords: Set<String> = ["until", "till", "through", "thru", "bis", "jusqu", "to", "au"]
    static let inclusiveWords: Set<String> = [
        "inclusive", "inclusively", "including", "einschliesslich", "einschl", "inklusive", "inkl", "inclus", "incluse", "compris",
    ]
    static let rangeStartWords: Set<String> = ["from", "vom", "von", "du", "between", "zwischen", "since", "seit", "starting"]
    static let rangeConnectors: Set<String> = ["to", "until", "till", "through", "bis", "zum", "au", "-", "and", "und", "et", "inclusive"]

    /// When an absent person is back: the date a return word points to ("back on Friday", "ab
    /// dem 23.03. wieder") wins; an absence range ends the day before the next business day;
    /// "until X" means back on X unless "inclusive" says X is still away.
    func returnDate() -> (date: CalendarDate, text: String)? {
        let tokens = body.tokens
        for position in tokens.indices where Self.returnWords.contains(tokens[position].text) {
            let sentence = dates.filter { $0.sentence == tokens[position].sentence }
            let after = sentence.first { $0.start > position && $0.start - position <= 8 }
            let before = sentence.last { $0.end <= position && position - $0.end <= 8 }
            for mention in [after, before].compactMap({ $0 }) {
                if let span = mention.expression.resolve(relativeTo: today, preferring: .future), span.start >= today {
                    return (span.start, body.original(mention.start, mention.end - 1))
                }
            }
        }
        var best: (priority: Int, date: CalendarDate, text: String)?
        func offer(_ priority: Int, _ date: CalendarDate, _ start: Int, _ end: Int) {
            guard date >= today, best == nil || priority < best!.priority else { return }
            best = (priority, date, body.original(start, end - 1))
        }
        for (index, mention) in dates.enumerated() {
            guard let span = mention.expression.resolve(relativeTo: today, preferring: .future) else { continue }
            // Five words back reach "bis einschließlich Freitag, <date>".
            let before = tokens[max(0, mention.start - 5)..<mention.start].filter { $0.sentence == mention.sentence }.map(\.text)
            let after = tokens[mention.end..<min(tokens.count, mention.end + 3)].map(\.text)
            let inclusive = (before + after).contains { Self.inclusiveWords.contains($0) }
            if case .daySpan = mention.expression {
                offer(1, span.end.adding(days: 1).nextBusinessDayIfWeekend, mention.start, mention.end)
                continue
            }
            if index + 1 < dates.count, dates[index + 1].sentence == mention.sentence, dates[index + 1].start - mention.end <= 3 {
                let between = tokens[mention.end..<dates[index + 1].start].map(\.text)
                let isRange = between.contains { Self.rangeConnectors.contains($0) }
                    && (before.contains { Self.rangeStartWords.contains($0) } || between.contains { ["-", "bis", "au"].contains($0) })
                if isRange, let endSpan = dates[index + 1].expression.resolve(relativeTo: today, preferring: .future) {
                    offer(1, endSpan.end.adding(days: 1).nextBusinessDayIfWeekend, mention.start, dates[index + 1].end)
                    continue
                }
            }
            if before.contains(where: { Self.untilWords.contains($0) }) {
                offer(2, inclusive ? span.end.adding(days: 1).nextBusinessDayIfWeekend : span.end, mention.start, mention.end)
                continue
            }
            offer(3, span.start, mention.start, mention.end)
        }
        return best.map { ($0.date, $0.text) }
    }

}
