import Dunning
import Foundation
import Triage

/// Checks a generated text against the data its writer was given. Every amount, date, invoice
/// number, other number, e-mail address and link in the text is found with Triage's recognisers
/// and must be one the data allows; every invoice must be named. Any mismatch rejects the text,
/// and the caller falls back to its template.
public struct FactGuardrail: Sendable {
    public let facts: DraftFacts
    public var maximumLength = 6000

    public init(facts: DraftFacts) {
        self.facts = facts
    }

    public func check(_ text: String) -> GuardrailVerdict {
        var problems: [String] = []
        guard !text.allSatisfy(\.isWhitespace) else { return GuardrailVerdict(problems: ["the text is empty"]) }
        if text.count > maximumLength {
            problems.append("the text is \(text.count) characters long, more than \(maximumLength)")
        }
        // Writers that leave "[Your name]" or "{amount}" in the text have not finished it.
        if let placeholder = text.firstIndex(where: { "[]{}".contains($0) }) {
            problems.append("the text contains a placeholder bracket near “\(text[placeholder...].prefix(30))”")
        }

        let context = TriageContext(openInvoiceNumbers: facts.invoiceNumbers, defaultCurrency: facts.defaultCurrency)
        let mentions = TextMentions(in: text, today: facts.today, context: context)

        for amount in mentions.amounts where !facts.amounts.contains(amount.money) {
            problems.append("the amount “\(amount.text)” (\(amount.money)) is not one of \(Self.list(facts.amounts.map(\.description)))")
        }
        let allowedDates = Set(facts.dates)
        for date in mentions.dates where !(allowedDates.contains(date.first) && allowedDates.contains(date.last)) {
            let read = date.first == date.last ? "\(date.first)" : "\(date.first) to \(date.last)"
            problems.append("the date “\(date.text)” (\(read)) is not one of \(Self.list(facts.dates.sorted().map(\.description)))")
        }
        for number in mentions.invoiceNumbers where !facts.invoiceNumbers.contains(number) {
            problems.append("the invoice number “\(number)” is not one of \(Self.list(facts.invoiceNumbers))")
        }
        for number in facts.invoiceNumbers where !mentions.invoiceNumbers.contains(number) {
            problems.append("invoice \(number) is not named")
        }
        for number in Set(mentions.otherNumbers).subtracting(facts.numbers).sorted() {
            problems.append("the number \(number) is none of the given amounts, dates, counts or references")
        }
        for address in mentions.emailAddresses where !facts.emailAddresses.contains(address) {
            problems.append("the address \(address) was not given")
        }
        for url in mentions.urls {
            problems.append("the link \(url) was not given")
        }
        return GuardrailVerdict(problems: problems)
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "(none given)" : items.joined(separator: ", ")
    }
}

public struct GuardrailVerdict: Sendable, Hashable {
    /// Empty when the text passed.
    public let problems: [String]

    public var isAccepted: Bool { problems.isEmpty }
}
