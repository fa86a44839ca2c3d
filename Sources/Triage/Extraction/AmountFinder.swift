import Dunning

/// An amount of money written in a reply.
struct AmountMention {
    let start: Int
    let end: Int
    let minorUnits: Int64
    let currency: CurrencyCode
    let sentence: Int
}

/// Finds amounts such as "€1,234.56", "1.234,56 €", "EUR 500", "$2,000", "500 euros", "1 234,56 €"
/// and "500,- EUR". A bare number counts only when it is unmistakably money (two decimals and a
/// thousands separator or at least 100) and a default currency is known.
struct AmountFinder {
    let defaultCurrency: CurrencyCode?

    func find(in tokens: [Token]) -> [AmountMention] {
        var mentions: [AmountMention] = []
        var index = 0
        while index < tokens.count {
            if let mention = amount(tokens, at: index) {
                mentions.append(mention)
                index = mention.end
            } else {
                index += 1
            }
        }
        return mentions
    }

    private func amount(_ tokens: [Token], at index: Int) -> AmountMention? {
        if let currency = currencyPrefix(tokens[index]), index + 1 < tokens.count, tokens[index + 1].isNumber,
           let number = readNumber(tokens, from: index + 1, allowSpacedGroups: true) {
            guard let minor = number.minorUnits(digits: currency.minorUnitExponent) else { return nil }
            return AmountMention(start: index, end: number.end, minorUnits: minor, currency: currency, sentence: tokens[index].sentence)
        }
        guard tokens[index].isNumber, index == 0 || !isGluedToNumberBefore(tokens, index),
              let number = readNumber(tokens, from: index, allowSpacedGroups: true) else { return nil }
        if number.end < tokens.count, let currency = Lexicon.currencies[tokens[number.end].text], tokens[number.end].kind != .email {
            guard let minor = number.minorUnits(digits: currency.minorUnitExponent) else { return nil }
            return AmountMention(start: index, end: number.end + 1, minorUnits: minor, currency: currency, sentence: tokens[index].sentence)
        }
        // Without a currency, only plain (unspaced) numbers that are clearly money.
        guard let currency = defaultCurrency, let plain = readNumber(tokens, from: index, allowSpacedGroups: false),
              plain.decimals?.count == 2, plain.hasGrouping || plain.integer >= 100,
              let minor = plain.minorUnits(digits: currency.minorUnitExponent) else { return nil }
        return AmountMention(start: index, end: plain.end, minorUnits: minor, currency: currency, sentence: tokens[index].sentence)
    }

    private func currencyPrefix(_ token: Token) -> CurrencyCode? {
        guard let code = Lexicon.currencies[token.text] else { return nil }
        // Words like "euros" follow the number; only symbols and codes precede it.
        return token.kind == .symbol || token.text.count == 3 ? code : nil
    }

    private func isGluedToNumberBefore(_ tokens: [Token], _ index: Int) -> Bool {
        !tokens[index].spaceBefore && (tokens[index - 1].isNumber || tokens[index - 1].isWord
            || [".", ",", "-", "/"].contains(tokens[index - 1].text))
    }

    private struct Number {
        var integer: Int64
        var decimals: String?
        var hasGrouping: Bool
        var end: Int

        func minorUnits(digits: Int) -> Int64? {
            var scale: Int64 = 1
            for _ in 0..<digits { scale *= 10 }
            guard integer <= Int64.max / scale / 10 else { return nil }
            var fraction = decimals ?? ""
            fraction = String(fraction.prefix(digits))
            while fraction.count < digits { fraction += "0" }
            return integer * scale + (Int64(fraction) ?? 0)
        }
    }

    /// Reads "1.234,56", "1,234.56", "1'234.50", "1 234,56", "500,-" starting at a number token.
    private func readNumber(_ tokens: [Token], from start: Int, allowSpacedGroups: Bool) -> Number? {
        var groups: [(separator: String?, digits: String)] = [(nil, tokens[start].text)]
        var position = start + 1
        while position < tokens.count {
            let token = tokens[position]
            if token.kind == .symbol, [".", ",", "'", "’"].contains(token.text), !token.spaceBefore,
               position + 1 < tokens.count, tokens[position + 1].isNumber, !tokens[position + 1].spaceBefore {
                groups.append((token.text == "’" ? "'" : token.text, tokens[position + 1].text))
                position += 2
            } else if allowSpacedGroups, token.isNumber, token.spaceBefore, token.lineBreaksBefore == 0, token.text.count == 3,
                      groups.count == 1, groups[0].digits.count <= 3,
                      position + 1 < tokens.count, Lexicon.currencies[tokens[position + 1].text] != nil || tokens[position + 1].isSymbol(",") {
                // French and Swiss thousands: "1 234,56 €".
                groups.append((" ", token.text))
                position += 1
            } else {
                break
            }
        }
        // "500,- €" and "500.-": whole units.
        var wholeUnits = false
        if position + 1 < tokens.count, tokens[position].kind == .symbol, [",", "."].contains(tokens[position].text),
           !tokens[position].spaceBefore, tokens[position + 1].isSymbol("-"), !tokens[position + 1].spaceBefore {
            position += 2
            wholeUnits = true
        }
        var decimals: String?
        var integerGroups = groups
        if !wholeUnits, groups.count > 1, let last = groups.last, last.separator != " ", last.separator != "'", last.digits.count != 3 {
            decimals = last.digits
            integerGroups.removeLast()
        }
        let integerText = integerGroups.map(\.digits).joined()
        guard integerText.count <= 15, let integer = Int64(integerText) else { return nil }
        return Number(integer: integer, decimals: decimals, hasGrouping: integerGroups.count > 1, end: position)
    }
}
