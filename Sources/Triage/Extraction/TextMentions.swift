import Dunning

/// An amount of money written in a text, as written and as read.
public struct MentionedAmount: Sendable, Hashable {
    public let money: Money
    public let text: String
}

/// A date written in a text, pinned to the calendar. Vague expressions cover several days
/// ("next week" is Monday to Friday); a precise one has `first == last`.
public struct MentionedDate: Sendable, Hashable {
    public let first: CalendarDate
    public let last: CalendarDate
    public let text: String
}

/// Every figure a text states, found with the same recognisers the classifier uses, so that a
/// text written by someone else (a language model) can be checked against the data it was given.
public struct TextMentions: Sendable, Hashable {
    public let amounts: [MentionedAmount]
    public let dates: [MentionedDate]
    /// Invoice numbers, written as the context knows them when they are among its open invoices.
    public let invoiceNumbers: [String]
    /// Numbers that are part of no amount, date or code ("20" in "20 days overdue").
    public let otherNumbers: [String]
    /// E-mail addresses, lowercased.
    public let emailAddresses: [String]
    public let urls: [String]

    /// Reads `text` as written on `today`: relative dates are resolved forwards from that day, and
    /// amounts without a currency are read in the context's default currency, if it has one.
    public init(in text: String, today: CalendarDate, context: TriageContext = TriageContext()) {
        let tokenized = TokenizedText(text)
        let tokens = tokenized.tokens
        let foundAmounts = AmountFinder(defaultCurrency: context.defaultCurrency).find(in: tokens)
        let amountRanges = foundAmounts.map { $0.start..<$0.end }
        let isFrench = Language.guess(tokens) == .french
        // A date that does not exist ("29 February" in 2026) stays unclaimed, so its numbers count as other numbers.
        let resolvedDates = DateFinder(order: context.numericDateOrder, isFrench: isFrench).find(in: tokens, skipping: amountRanges)
            .compactMap { mention in
                mention.expression.resolve(relativeTo: today, preferring: .future).map { (mention, $0) }
            }
        let claimed = amountRanges + resolvedDates.map { $0.0.start..<$0.0.end }
        invoiceNumbers = InvoiceFinder(knownInvoices: context.openInvoiceNumbers).find(in: tokenized, skipping: claimed)

        amounts = foundAmounts.map {
            MentionedAmount(money: Money(minorUnits: $0.minorUnits, currency: $0.currency), text: tokenized.original($0.start, $0.end - 1))
        }
        dates = resolvedDates.map { mention, span in
            MentionedDate(first: span.start, last: span.end, text: tokenized.original(mention.start, mention.end - 1))
        }

        let codes = InvoiceFinder.codeRanges(in: tokens, skipping: claimed)
        let covered = claimed + codes
        // A purely numeric invoice number ("1001") is a single number token, which no code range covers.
        let numericInvoices = Set(invoiceNumbers.filter { $0.allSatisfy(\.isNumber) })
        otherNumbers = tokens.indices.compactMap { index in
            let token = tokens[index]
            guard token.isNumber, !covered.contains(where: { $0.contains(index) }), !numericInvoices.contains(token.text) else { return nil }
            return token.text
        }
        emailAddresses = tokens.filter { $0.kind == .email }.map(\.text)
        urls = tokens.indices.filter { tokens[$0].kind == .url }.map { tokenized.original($0) }
    }
}
