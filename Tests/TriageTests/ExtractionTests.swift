import Dunning
import Testing
@testable import Triage

@Suite struct ExtractionTests {
    static func amounts(_ text: String, defaultCurrency: CurrencyCode? = nil) -> [String] {
        AmountFinder(defaultCurrency: defaultCurrency).find(in: TokenizedText(text).tokens).map { "\($0.minorUnits) \($0.currency)" }
    }

    @Test(arguments: [
        ("€1,234.56", "123456 EUR"), ("1.234,56 €", "123456 EUR"), ("EUR 500", "50000 EUR"), ("$2,000", "200000 USD"),
        ("500 euros", "50000 EUR"), ("1 234,56 €", "123456 EUR"), ("500,- EUR", "50000 EUR"), ("CHF 1'250.50", "125050 CHF"),
        ("£750", "75000 GBP"), ("US$ 99.9", "9990 USD"), ("¥12,000", "12000 JPY"), ("12.50 EUR", "1250 EUR"), ("2.480,00 EUR", "248000 EUR"),
    ])
    func readsAmounts(text: String, expected: String) {
        #expect(Self.amounts("We pay " + text + " soon") == [expected], "\(text)")
    }

    /// Amounts are stored as Dunning `Money`, so minor units follow its ISO 4217 exponents: HUF has two
    /// decimals there, even though forint prices are usually written whole.
    @Test func minorUnitsFollowTheCurrencyExponent() {
        #expect(Self.amounts("We pay 5.000 HUF soon") == ["500000 HUF"])
        #expect(Self.amounts("We pay ¥12,000 soon") == ["12000 JPY"])
    }

    @Test func bareNumbersNeedToLookLikeMoneyAndAKnownCurrency() {
        #expect(Self.amounts("invoice 1001 for 1.234,56", defaultCurrency: "EUR") == ["123456 EUR"])
        #expect(Self.amounts("invoice 1001 for 1.234,56").isEmpty)
        #expect(Self.amounts("on 15.03 we had 3 meetings", defaultCurrency: "EUR").isEmpty)
    }

    @Test func findsInvoiceNumbers() {
        let finder = InvoiceFinder(knownInvoices: ["A-17"])
        func invoices(_ text: String) -> [String] { finder.find(in: TokenizedText(text)) }
        #expect(invoices("invoices 1001, 1002 and 1003 are paid") == ["1001", "1002", "1003"])
        #expect(invoices("Rechnung Nr. RE-2026-042 und Rechnungsnummer 77") == ["RE-2026-042", "77"])
        #expect(invoices("facture n° FA-2026-17") == ["FA-2026-17"])
        #expect(invoices("see INV-2026-0042 and a-17") == ["INV-2026-0042", "A-17"])
        #expect(invoices("invoice dated 15 March") == [])
    }

    @Test func findsContactsWithTheirNames() {
        let finder = ContactFinder(excluded: ["me@acme.com"])
        func contact(_ text: String) -> NewContact? { finder.anyContact(in: TokenizedText(text)) }
        #expect(contact("write to Jane Roe <jane@acme.com>") == NewContact(name: "Jane Roe", email: "jane@acme.com"))
        #expect(contact("Frau Erika Schmidt (e.schmidt@acme.de)") == NewContact(name: "Erika Schmidt", email: "e.schmidt@acme.de"))
        #expect(contact("contact ap@acme.com please") == NewContact(name: nil, email: "ap@acme.com"))
        #expect(contact("mail me@acme.com") == nil)
        #expect(contact("jane@acme.com (Jane Roe)") == NewContact(name: "Jane Roe", email: "jane@acme.com"))
        #expect(contact("Our new contact:\nJane Roe <jane@acme.com>") == NewContact(name: "Jane Roe", email: "jane@acme.com"))
        #expect(contact("Regards\nJane Roe\njane@acme.com") == NewContact(name: nil, email: "jane@acme.com"))
    }

    @Test func referencesAreReadAfterTheirKeyword() {
        #expect(ReferenceFinder.find(in: TokenizedText("paid, ref 88231")) == "88231")
        #expect(ReferenceFinder.find(in: TokenizedText("Verwendungszweck: RE-2026-0190.")) == "RE-2026-0190")
        #expect(ReferenceFinder.find(in: TokenizedText("transaction ID TX-77120")) == "TX-77120")
        #expect(ReferenceFinder.find(in: TokenizedText("no reference here")) == nil)
    }
}
