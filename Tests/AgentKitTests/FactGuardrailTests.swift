import AgentKit
import Dunning
import Testing

/// A language model's draft must state only what it was given.
struct FactGuardrailTests {
    typealias F = ReminderFixtures
    let facts = ReminderComposer().compose(F.request(
        history: ReminderHistory(recentPayment: ReceivedPayment(amount: F.euros(10_000), receivedOn: F.date("2026-03-30"))),
        payBy: F.date("2026-04-14"))).facts

    let draft = """
        Dear Jane Roe,

        I am writing about two invoices that are still open on your account:
        - INV-2026-001 for EUR 1,234.50, which was due on 15 March 2026 and is now 20 days overdue
        - INV-2026-007 for EUR 250.00, due on 1 April 2026 (3 days overdue)

        That makes EUR 1,484.50 in total. Thank you for the EUR 100.00 we received on 30 March 2026.
        Could you arrange payment by 14 April 2026, or let us know at ar@acme.example when we can expect it?
        """

    func problems(_ text: String) -> [String] { FactGuardrail(facts: facts).check(text).problems }

    @Test func aDraftThatStatesOnlyTheGivenFactsIsAccepted() {
        #expect(problems(draft) == [])
        #expect(problems(draft.replacingOccurrences(of: "EUR 1,234.50", with: "€1,234.50")) == [])
    }

    @Test func aWrongAmountIsRejected() {
        let found = problems(draft.replacingOccurrences(of: "EUR 1,234.50", with: "EUR 1,243.50"))
        #expect(found.count == 1)
        #expect(found.first?.contains("EUR 1,243.50") == true)
    }

    @Test func anAmountInTheWrongCurrencyIsRejected() {
        #expect(problems(draft.replacingOccurrences(of: "EUR 250.00", with: "USD 250.00")).count == 1)
    }

    @Test func aWrongDateIsRejected() {
        let found = problems(draft.replacingOccurrences(of: "15 March 2026", with: "16 March 2026"))
        #expect(found.count == 1)
        #expect(found.first?.contains("2026-03-16") == true)
        // An invented deadline, even written relatively, is a date that was not given.
        #expect(problems(draft.replacingOccurrences(of: "by 14 April 2026", with: "within the next two weeks")).count == 1)
    }

    @Test func anUnknownInvoiceNumberIsRejected() {
        let found = problems(draft.replacingOccurrences(of: "INV-2026-007", with: "INV-2026-008"))
        #expect(found.contains { $0.contains("INV-2026-008") })
        #expect(found.contains("invoice INV-2026-007 is not named"))
    }

    @Test func aMissingInvoiceOrAWrongCountIsRejected() {
        #expect(problems(draft.replacingOccurrences(of: "20 days overdue", with: "25 days overdue")) == [
            "the number 25 is none of the given amounts, dates, counts or references",
        ])
        let withoutSecond = draft.split(separator: "\n").filter { !$0.contains("INV-2026-007") }.joined(separator: "\n")
        #expect(problems(withoutSecond).contains("invoice INV-2026-007 is not named"))
    }

    @Test func linksAddressesAndPlaceholdersAreRejected() {
        #expect(problems(draft + "\nPay online at https://pay.example.com/beta").count == 1)
        #expect(problems(draft.replacingOccurrences(of: "ar@acme.example", with: "billing@acme-payments.example")).count == 1)
        #expect(problems(draft + "\n[Your name]").count == 1)
        #expect(problems("   ") == ["the text is empty"])
    }

    @Test func germanAndFrenchDraftsAreReadInTheirOwnFormats() {
        let german = ReminderComposer().compose(F.request(language: .german)).facts
        let text = """
            Guten Tag Jane Roe,

            für die Rechnung INV-2026-001 über 1.234,50 EUR (fällig am 15.03.2026) und die Rechnung INV-2026-007 \
            über 250,00 EUR (fällig am 1. April 2026) haben wir noch keinen Zahlungseingang, insgesamt 1.484,50 EUR.
            """
        #expect(FactGuardrail(facts: german).check(text).problems == [])
        #expect(!FactGuardrail(facts: german).check(text.replacingOccurrences(of: "1.484,50", with: "1.448,50")).isAccepted)

        let french = ReminderComposer().compose(F.request(language: .french)).facts
        let texte = "Les factures INV-2026-001 (1 234,50 EUR, échue le 15 mars 2026) et INV-2026-007 (250,00 EUR, échue le 1er avril 2026) restent à régler."
        #expect(FactGuardrail(facts: french).check(texte).problems == [])
        #expect(!FactGuardrail(facts: french).check(texte.replacingOccurrences(of: "1er avril", with: "2 avril")).isAccepted)
    }
}
