import Dunning
import Testing
import Triage

/// The public reading of every figure in a text, which the guardrail for generated text uses.
@Suite struct TextMentionsTests {
    let today = CalendarDate(year: 2026, month: 4, day: 4)!

    @Test func readsAmountsDatesInvoicesAndLeftoverNumbersOfAReminder() {
        let text = """
            Our records show that invoice INV-2026-001 for EUR 1,234.50, due on 15 March 2026, is now 20 days overdue.
            Invoice 1002 of 1.000,00 EUR was due on 1 April 2026. Please pay by 10 April 2026 or write to ar@acme.example.
            """
        let mentions = TextMentions(in: text, today: today, context: TriageContext(openInvoiceNumbers: ["INV-2026-001", "1002"]))
        #expect(mentions.amounts.map(\.money) == [Money(minorUnits: 123_450, currency: "EUR"), Money(minorUnits: 100_000, currency: "EUR")])
        #expect(mentions.amounts.first?.text == "EUR 1,234.50")
        #expect(mentions.dates.map(\.first) == ["2026-03-15", "2026-04-01", "2026-04-10"].compactMap(CalendarDate.init))
        #expect(mentions.invoiceNumbers == ["INV-2026-001", "1002"])
        #expect(mentions.otherNumbers == ["20"])
        #expect(mentions.emailAddresses == ["ar@acme.example"])
    }

    @Test func readsGermanAndFrenchFormatsWithNonBreakingSpaces() {
        let german = TextMentions(in: "Rechnung RE-7: 1.234,50\u{00A0}EUR, fällig am 15.\u{00A0}März 2026 (seit 20 Tagen überfällig)", today: today)
        #expect(german.amounts.map(\.money) == [Money(minorUnits: 123_450, currency: "EUR")])
        #expect(german.dates.map(\.first) == [CalendarDate(year: 2026, month: 3, day: 15)!])
        #expect(german.invoiceNumbers == ["RE-7"])
        #expect(german.otherNumbers == ["20"])

        let french = TextMentions(in: "Facture FA-9\u{00A0}: 1\u{00A0}234,50\u{00A0}EUR, échéance le 1er\u{00A0}mars 2026", today: today)
        #expect(french.amounts.map(\.money) == [Money(minorUnits: 123_450, currency: "EUR")])
        #expect(french.dates.map(\.first) == [CalendarDate(year: 2026, month: 3, day: 1)!])
        #expect(french.otherNumbers.isEmpty)
    }

    @Test func relativeDatesArePinnedFromTodayAndVagueOnesCoverTheirDays() {
        let mentions = TextMentions(in: "Payment is due in 3 days, or at the latest next week.", today: today)
        #expect(mentions.dates.first?.first == today.adding(days: 3))
        #expect(mentions.dates.last.map { $0.first < $0.last } == true)
    }

    @Test func aDateThatDoesNotExistIsLeftAsNumbers() {
        let mentions = TextMentions(in: "due on 29 February", today: today)
        #expect(mentions.dates.isEmpty)
        #expect(mentions.otherNumbers == ["29"])
    }
}
