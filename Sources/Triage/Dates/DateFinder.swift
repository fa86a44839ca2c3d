import Dunning

/// A date found in a reply: where it was written and what it says.
struct DateMention {
    /// Token range, end exclusive.
    let start: Int
    let end: Int
    let expression: DateExpression
    let sentence: Int
}

/// Finds dates written in English, German or French: numeric (2026-03-15, 15/03/2026,
/// 15.03.2026, 15.03.), with month names ("March 15th", "15. März", "le 15 mars", "9–20 March"),
/// weekdays ("next Friday", "vendredi prochain"), and relative phrases ("tomorrow", "end of the
/// month", "in two weeks", "Ende nächster Woche", "sous huitaine").
struct DateFinder {
    let order: NumericDateOrder
    let isFrench: Bool

    func find(in tokens: [Token], skipping claimed: [Range<Int>] = []) -> [DateMention] {
        var mentions: [DateMention] = []
        var index = 0
        while index < tokens.count {
            if let range = claimed.first(where: { $0.contains(index) }) {
                index = range.upperBound
                continue
            }
            if let (end, expression) = bestMatch(tokens, at: index) {
                mentions.append(DateMention(start: index, end: end, expression: expression, sentence: tokens[index].sentence))
                index = end
            } else {
                index += 1
            }
        }
        return mentions
    }

    private func bestMatch(_ tokens: [Token], at index: Int) -> (Int, DateExpression)? {
        if let explicit = numeric(tokens, at: index) ?? named(tokens, at: index) { return explicit }
        guard let phrase = Self.phrases.longestMatch(in: tokens, at: index),
              let expression = build(phrase.payload, tokens, phrase.start, phrase.end) else { return nil }
        if case .weekday = expression, explicitDateFollows(tokens, after: phrase.end) {
            // "Friday, 20 March": the explicit date says it all.
            return nil
        }
        return (phrase.end, expression)
    }

    private func explicitDateFollows(_ tokens: [Token], after end: Int) -> Bool {
        var position = end
        for _ in 0..<3 {
            guard position < tokens.count else { return false }
            if numeric(tokens, at: position) != nil || named(tokens, at: position) != nil { return true }
            guard [",", "the", "den", "le", "der", "on"].contains(tokens[position].text) else { return false }
            position += 1
        }
        return false
    }

    // MARK: Numeric dates

    private static let prepositions: Set<String> = ["am", "bis", "zum", "ab", "on", "by", "until", "le", "au", "before", "vor", "avant", "des"]

    private func numeric(_ tokens: [Token], at index: Int) -> (Int, DateExpression)? {
        func number(_ offset: Int, maxDigits: Int = 2) -> Int? {
            let position = index + offset
            guard position < tokens.count, tokens[position].isNumber, tokens[position].text.count <= maxDigits,
                  offset == 0 || !tokens[position].spaceBefore else { return nil }
            return Int(tokens[position].text)
        }
        func symbol(_ offset: Int) -> String? {
            let position = index + offset
            guard position < tokens.count, tokens[position].kind == .symbol, !tokens[position].spaceBefore else { return nil }
            return tokens[position].text
        }
        guard index < tokens.count, tokens[index].isNumber else { return nil }
        // A number glued to what precedes it ("INV-2026-03", "1.234") is not the start of a date.
        if index > 0, !tokens[index].spaceBefore, tokens[index - 1].kind != .symbol || !["(", "\"", "/"].contains(tokens[index - 1].text) {
            if tokens[index - 1].kind != .symbol || [".", ",", "-"].contains(tokens[index - 1].text) { return nil }
        }

        if tokens[index].text.count == 4, let year = Int(tokens[index].text), let separator = symbol(1), separator == "-" || separator == "/",
           let month = number(2), symbol(3) == separator, let day = number(4), let date = CalendarDate(year: year, month: month, day: day) {
            return (index + 5, .absolute(date))
        }
        guard let first = number(0), let separator = symbol(1), [".", "/", "-"].contains(separator), let second = number(2) else { return nil }
        let followedByMore = symbol(3) == separator
        if followedByMore, let yearToken = number(4, maxDigits: 4), [2, 4].contains(tokens[index + 4].text.count) {
            // Versions and addresses such as 1.2.3.4 are not dates.
            if let after = symbol(5), [".", "/", "-"].contains(after), number(6, maxDigits: 4) != nil { return nil }
            let year = tokens[index + 4].text.count == 2 ? 2000 + yearToken : yearToken
            guard let (day, month) = dayAndMonth(first, second, separator: separator),
                  let date = CalendarDate(year: year, month: month, day: day) else { return nil }
            return (index + 5, .absolute(date))
        }
        if separator == ".", followedByMore, number(4, maxDigits: 4) == nil {
            guard let (day, month) = dayAndMonth(first, second, separator: separator) else { return nil }
            return (index + 4, .dayMonth(day: day, month: month))
        }
        if separator == "/", !followedByMore {
            guard let (day, month) = dayAndMonth(first, second, separator: separator) else { return nil }
            return (index + 3, .dayMonth(day: day, month: month))
        }
        if separator == ".", !followedByMore, index > 0, Self.prepositions.contains(tokens[index - 1].text),
           let (day, month) = dayAndMonth(first, second, separator: separator) {
            return (index + 3, .dayMonth(day: day, month: month))
        }
        return nil
    }

    private func dayAndMonth(_ first: Int, _ second: Int, separator: String) -> (Int, Int)? {
        let monthFirst = separator != "." && order == .monthFirst
        var (day, month) = monthFirst ? (second, first) : (first, second)
        if month > 12, day <= 12 { swap(&day, &month) }
        guard (1...12).contains(month), (1...31).contains(day), day <= CalendarDate.daysInMonth(year: 2024, month: month) else { return nil }
        return (day, month)
    }

    // MARK: Dates with month names

    private static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th", "er", "re", "e", "eme"]
    private static let rangeConnectors: Set<String> = ["-", "to", "au", "bis", "until", "till", "through", "and", "et", "und"]

    private func named(_ tokens: [Token], at index: Int) -> (Int, DateExpression)? {
        func word(_ position: Int) -> String? {
            position < tokens.count ? tokens[position].text : nil
        }
        func day(at position: Int) -> Int? {
            guard position < tokens.count, tokens[position].isNumber, tokens[position].text.count <= 2,
                  let value = Int(tokens[position].text), (1...31).contains(value) else { return nil }
            if position + 1 < tokens.count, tokens[position + 1].isSymbol(":"), !tokens[position + 1].spaceBefore { return nil }
            return value
        }
        /// Skips an ordinal suffix or a German ordinal dot glued to a day.
        func afterDay(_ position: Int) -> Int {
            guard position < tokens.count, !tokens[position].spaceBefore else { return position }
            if tokens[position].isWord, Self.ordinalSuffixes.contains(tokens[position].text) { return position + 1 }
            if tokens[position].isSymbol(".") { return position + 1 }
            return position
        }
        func year(at position: Int) -> (Int, Int)? {
            var position = position
            if position < tokens.count, tokens[position].isSymbol(",") { position += 1 }
            guard position < tokens.count, tokens[position].isNumber, tokens[position].text.count == 4,
                  let value = Int(tokens[position].text), (1990...2100).contains(value) else { return nil }
            return (value, position + 1)
        }

        if let firstDay = day(at: index) {
            var position = afterDay(index + 1)
            var lastDay: Int?
            if let connector = word(position), Self.rangeConnectors.contains(connector), let second = day(at: position + 1), second > firstDay {
                lastDay = second
                position = afterDay(position + 2)
            }
            if let linking = word(position), ["of", "de", "d"].contains(linking), let next = word(position + 1), Lexicon.months[next] != nil {
                position += 1
            }
            if let name = word(position), position < tokens.count, tokens[position].isWord, let month = Lexicon.months[name] {
                position += 1
                if position < tokens.count, tokens[position].isSymbol("."), !tokens[position].spaceBefore { position += 1 }
                let found = year(at: position)
                let end = found?.1 ?? position
                if let lastDay { return (end, .daySpan(from: firstDay, to: lastDay, month: month, year: found?.0)) }
                if let (yearValue, _) = found {
                    guard let date = CalendarDate(year: yearValue, month: month, day: firstDay) else { return nil }
                    return (end, .absolute(date))
                }
                guard firstDay <= CalendarDate.daysInMonth(year: 2024, month: month) else { return nil }
                return (end, .dayMonth(day: firstDay, month: month))
            }
            return dayOnly(tokens, at: index, day: firstDay)
        }

        if index < tokens.count, tokens[index].isWord, let month = Lexicon.months[tokens[index].text] {
            var position = index + 1
            if position < tokens.count, tokens[position].isSymbol("."), !tokens[position].spaceBefore { position += 1 }
            guard let dayValue = day(at: position), position < tokens.count, tokens[position].spaceBefore || position > index + 1 else { return nil }
            position = afterDay(position + 1)
            if let (yearValue, end) = year(at: position) {
                guard let date = CalendarDate(year: yearValue, month: month, day: dayValue) else { return nil }
                return (end, .absolute(date))
            }
            guard dayValue <= CalendarDate.daysInMonth(year: 2024, month: month) else { return nil }
            return (position, .dayMonth(day: dayValue, month: month))
        }
        return nil
    }

    /// "the 20th", "le 1er", "am 20.", "bis zum 20.", "le 20".
    private func dayOnly(_ tokens: [Token], at index: Int, day: Int) -> (Int, DateExpression)? {
        let next = index + 1
        let previous = index > 0 ? tokens[index - 1].text : ""
        if next < tokens.count, !tokens[next].spaceBefore, tokens[next].isWord, ["st", "nd", "rd", "th", "er"].contains(tokens[next].text) {
            return (next + 1, .dayOfMonth(day))
        }
        if ["am", "zum", "ab"].contains(previous), next < tokens.count, tokens[next].isSymbol("."), !tokens[next].spaceBefore {
            return (next + 1, .dayOfMonth(day))
        }
        if previous == "le", isFrench {
            let following = next < tokens.count ? tokens[next] : nil
            if following == nil || following!.lineBreaksBefore > 0 || (following!.kind == .symbol && [",", ".", ";", "!"].contains(following!.text))
                || (following!.isWord && Lexicon.currencies[following!.text] == nil && !["jours", "jour", "mois", "semaines", "pour"].contains(following!.text)) {
                return (next, .dayOfMonth(day))
            }
        }
        return nil
    }

    // MARK: Phrases

    private enum Phrase: Sendable {
        case fixed(DateExpression)
        /// "morgen" is "tomorrow" except in "guten Morgen", "heute Morgen".
        case germanTomorrow
        /// "hier" is "yesterday" only in French.
        case frenchYesterday
        case weekday(WeekdayModifier)
        case weekdayNextWeek
        case count(sign: Int)
        case namedMonth(PeriodPart)
    }

    private static let units = "day|days|week|weeks|month|months|fortnight|tag|tage|tagen|woche|wochen|monat|monate|monaten|werktag*|arbeitstag*|bankarbeitstag*|jour|jours|semaine|semaines|mois"

    private static let phrases = PhrasePatternSet<Phrase>([
        ("today|heute|aujourd|tonight|eod|cob", .fixed(.days(0))),
        ("end|close of the? day|business", .fixed(.days(0))),
        ("this|later afternoon|morning|evening|today", .fixed(.days(0))),
        ("ce soir", .fixed(.days(0))),
        ("tomorrow|demain", .fixed(.days(1))),
        ("morgen", .germanTomorrow),
        ("day after tomorrow", .fixed(.days(2))),
        ("ubermorgen", .fixed(.days(2))),
        ("apres demain", .fixed(.days(2))),
        ("yesterday|gestern", .fixed(.days(-1))),
        ("hier", .frenchYesterday),
        ("day before yesterday", .fixed(.days(-2))),
        ("vorgestern", .fixed(.days(-2))),
        ("avant hier", .fixed(.days(-2))),

        ("%weekday", .weekday(.plain)),
        ("next|nachsten|nachste|nachster|naechsten %weekday", .weekday(.next)),
        ("this|coming|kommenden|kommende|diesen|diese|ce %weekday", .weekday(.this)),
        ("last|letzten|letzte|vergangenen|past %weekday", .weekday(.last)),
        ("%weekday prochain", .weekday(.next)),
        ("%weekday dernier", .weekday(.last)),
        ("%weekday next week", .weekdayNextWeek),
        ("%weekday nachster|nachste|kommender|kommende woche", .weekdayNextWeek),
        ("%weekday in der nachsten woche", .weekdayNextWeek),
        ("%weekday de? la? semaine prochaine", .weekdayNextWeek),

        ("next|nachste|nachsten|kommende|kommenden week|woche", .fixed(.week(offset: 1, part: .whole))),
        ("semaine prochaine", .fixed(.week(offset: 1, part: .whole))),
        ("this|diese|dieser|cette week|woche|semaine", .fixed(.week(offset: 0, part: .whole))),
        ("last|letzte|letzten|vergangene|vergangenen week|woche", .fixed(.week(offset: -1, part: .whole))),
        ("week after next", .fixed(.week(offset: 2, part: .whole))),
        ("ubernachste|ubernachsten|ubernachster woche", .fixed(.week(offset: 2, part: .whole))),
        ("semaine derniere", .fixed(.week(offset: -1, part: .whole))),
        ("end of the|this? week", .fixed(.week(offset: 0, part: .end))),
        ("later this week", .fixed(.week(offset: 0, part: .end))),
        ("ende der|dieser? woche", .fixed(.week(offset: 0, part: .end))),
        ("fin de la|cette? semaine", .fixed(.week(offset: 0, part: .end))),
        ("end of the? next|following week", .fixed(.week(offset: 1, part: .end))),
        ("ende der? nachsten|nachster|kommenden woche", .fixed(.week(offset: 1, part: .end))),
        ("fin de la? semaine prochaine", .fixed(.week(offset: 1, part: .end))),
        ("early|beginning|start of? the? next week", .fixed(.week(offset: 1, part: .early))),
        ("anfang der? nachsten|nachster|kommenden woche", .fixed(.week(offset: 1, part: .early))),
        ("debut de la? semaine prochaine", .fixed(.week(offset: 1, part: .early))),
        ("mid|middle of? the? next week", .fixed(.week(offset: 1, part: .mid))),
        ("mitte der? nachsten|nachster|kommenden woche", .fixed(.week(offset: 1, part: .mid))),

        ("next|following month", .fixed(.month(offset: 1, part: .whole))),
        ("nachsten|nachster|kommenden monat", .fixed(.month(offset: 1, part: .whole))),
        ("mois prochain", .fixed(.month(offset: 1, part: .whole))),
        ("this month", .fixed(.month(offset: 0, part: .whole))),
        ("diesen|dieser monat", .fixed(.month(offset: 0, part: .whole))),
        ("end of the|this? current? month", .fixed(.month(offset: 0, part: .end))),
        ("month end|ending", .fixed(.month(offset: 0, part: .end))),
        ("monthend|monatsende|ultimo", .fixed(.month(offset: 0, part: .end))),
        ("ende des|dieses? laufenden? monats|monat", .fixed(.month(offset: 0, part: .end))),
        ("fin du|de ce? mois", .fixed(.month(offset: 0, part: .end))),
        ("end of the? next|following month", .fixed(.month(offset: 1, part: .end))),
        ("ende des? nachsten|kommenden monats", .fixed(.month(offset: 1, part: .end))),
        ("fin du mois prochain", .fixed(.month(offset: 1, part: .end))),
        ("beginning|start of the? next|following month", .fixed(.month(offset: 1, part: .early))),
        ("early next month", .fixed(.month(offset: 1, part: .early))),
        ("anfang des? nachsten|kommenden monats", .fixed(.month(offset: 1, part: .early))),
        ("debut du|de mois prochain", .fixed(.month(offset: 1, part: .early))),
        ("mid month", .fixed(.month(offset: 0, part: .mid))),
        ("mitte des|dieses? monats", .fixed(.month(offset: 0, part: .mid))),
        ("mi mois", .fixed(.month(offset: 0, part: .mid))),
        ("mid|middle of? the? next month", .fixed(.month(offset: 1, part: .mid))),
        ("mitte des? nachsten|kommenden monats", .fixed(.month(offset: 1, part: .mid))),

        ("end|late of? %month", .namedMonth(.end)),
        ("ende %month", .namedMonth(.end)),
        ("fin de|d? %month", .namedMonth(.end)),
        ("mid|middle of? %month", .namedMonth(.mid)),
        ("mitte %month", .namedMonth(.mid)),
        ("mi %month", .namedMonth(.mid)),
        ("beginning|start|early of? %month", .namedMonth(.early)),
        ("anfang|beginn %month", .namedMonth(.early)),
        ("debut de|d? %month", .namedMonth(.early)),
        ("in|im|en|during %month", .namedMonth(.whole)),

        ("in|within|next # #? of? \(units)", .count(sign: 1)),
        ("in|within # #? business|working day|days", .count(sign: 1)),
        ("# #? \(units) from now|today", .count(sign: 1)),
        ("# #? \(units) ago", .count(sign: -1)),
        ("innerhalb|binnen von? der? den? nachsten? # \(units)", .count(sign: 1)),
        ("in den|der nachsten # \(units)", .count(sign: 1)),
        ("in den nachsten tagen", .fixed(.days(3))),
        ("vor # \(units)", .count(sign: -1)),
        ("dans|sous|ici les? # prochains|prochaines? \(units) ouvres|ouvrables?", .count(sign: 1)),
        ("dans les prochains jours", .fixed(.days(3))),
        ("sous huitaine", .fixed(.days(8))),
        ("sous quinzaine", .fixed(.days(15))),
        ("il y a # \(units)", .count(sign: -1)),
    ])

    private func build(_ phrase: Phrase, _ tokens: [Token], _ start: Int, _ end: Int) -> DateExpression? {
        let matched = tokens[start..<end]
        switch phrase {
        case let .fixed(expression):
            return expression
        case .germanTomorrow:
            let previous = start > 0 ? tokens[start - 1].text : ""
            return ["guten", "heute", "gestern", "jeden", "am", "den"].contains(previous) ? nil : .days(1)
        case .frenchYesterday:
            return isFrench ? .days(-1) : nil
        case let .weekday(modifier):
            guard let day = matched.lazy.compactMap({ Lexicon.weekdays[$0.text] }).first else { return nil }
            return .weekday(day, modifier)
        case .weekdayNextWeek:
            guard let day = matched.lazy.compactMap({ Lexicon.weekdays[$0.text] }).first else { return nil }
            return .weekdayOfWeek(day, weekOffset: 1)
        case let .namedMonth(part):
            guard let month = matched.lazy.compactMap({ Lexicon.months[$0.text] }).first else { return nil }
            // "in March 15" and the like are handled as dates with a day.
            if end < tokens.count, tokens[end].isNumber, tokens[end].text.count <= 2 { return nil }
            return .namedMonth(month, part: part)
        case let .count(sign):
            return count(matched, sign: sign)
        }
    }

    /// "in two weeks", "binnen 5 Werktagen", "dans 10 jours", "3 days ago".
    private func count(_ tokens: ArraySlice<Token>, sign: Int) -> DateExpression? {
        var amount: Int?
        var business = false
        var unitDays: Int?
        var unitMonths = false
        for token in tokens {
            let text = token.text
            if token.isNumber, let value = Int(text) {
                amount = value
            } else if let value = Lexicon.numberWords[text], unitDays == nil, !unitMonths {
                // The counting word nearest the unit wins: "a couple of days" is two.
                amount = value
            } else if text.hasPrefix("werktag") || text.hasPrefix("arbeitstag") || text.hasPrefix("bankarbeitstag")
                        || ["business", "working", "ouvres", "ouvrables"].contains(text) {
                business = true
                if unitDays == nil { unitDays = 1 }
            } else if ["day", "days", "tag", "tage", "tagen", "jour", "jours"].contains(text) {
                unitDays = 1
            } else if ["week", "weeks", "woche", "wochen", "semaine", "semaines"].contains(text) {
                unitDays = 7
            } else if text == "fortnight" {
                unitDays = 14
                amount = amount ?? 1
            } else if ["month", "months", "monat", "monate", "monaten", "mois"].contains(text) {
                unitMonths = true
            }
        }
        guard let amount, amount > 0, amount <= 400 else { return nil }
        if unitMonths { return .months(sign * amount) }
        guard let unitDays else { return nil }
        if business, sign > 0 { return .businessDays(amount) }
        return .days(sign * amount * unitDays)
    }
}
