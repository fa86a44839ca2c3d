import Testing
@testable import Mail

@Suite struct ReplyExtractorTests {
    @Test func stripsEnglishAttributionAndQuotes() {
        let parts = ReplyExtractor.split("""
            We will pay on Friday.

            Thanks,
            Jane

            On Tue, Mar 10, 2026 at 9:15 AM Supplier AR <ar@supplier.example> wrote:
            > Dear customer,
            > invoice 42 is overdue.
            """)
        #expect(parts.newText == "We will pay on Friday.\n\nThanks,\nJane")
        #expect(parts.quoted?.hasPrefix("On Tue") == true)
    }

    @Test func stripsAttributionWrappedOverTwoLines() {
        let parts = ReplyExtractor.split("""
            Paid today.

            On Tue, 10 Mar 2026 at 09:15, Supplier Accounts Receivable Department <
            ar@supplier.example> wrote:

            > Please pay.
            """)
        #expect(parts.newText == "Paid today.")
    }

    @Test func stripsGermanAttribution() {
        let parts = ReplyExtractor.split("""
            Hallo,

            wir überweisen den Betrag Ende des Monats.

            Mit freundlichen Grüßen
            Hans Müller

            Am 10.03.2026 um 09:15 schrieb Lieferant Buchhaltung <ar@supplier.example>:
            > Sehr geehrte Damen und Herren,
            > die Rechnung RE-42 ist fällig.
            """)
        #expect(parts.newText == "Hallo,\n\nwir überweisen den Betrag Ende des Monats.\n\nMit freundlichen Grüßen\nHans Müller")
    }

    @Test func stripsFrenchAttributionWithNoBreakSpace() {
        let parts = ReplyExtractor.split("""
            Bonjour,
            le virement sera fait le 20 mars.
            Cordialement

            Le mar. 10 mars 2026 à 09:15, Service Comptabilité <ar@supplier.example> a écrit\u{00A0}:
            > Madame, Monsieur,
            > la facture FA-17 est échue.
            """)
        #expect(parts.newText == "Bonjour,\nle virement sera fait le 20 mars.\nCordialement")
    }

    @Test func stripsOutlookHeaderBlocksInThreeLanguages() {
        let blocks = [
            "-----Original Message-----\nFrom: AR <ar@supplier.example>\nSent: Tuesday, March 10, 2026 9:15 AM\nTo: Jane\nSubject: Reminder",
            "________________________________\nVon: AR <ar@supplier.example>\nGesendet: Dienstag, 10. März 2026 09:15\nAn: Hans\nBetreff: Zahlungserinnerung",
            "De : AR <ar@supplier.example>\nEnvoyé : mardi 10 mars 2026 09:15\nÀ : Anne\nObjet : Relance",
            "-----Ursprüngliche Nachricht-----\nVon: AR\nDatum: 10.03.2026",
            "*From:* AR <ar@supplier.example>\n*Sent:* Tuesday, March 10, 2026 9:15 AM\n*Subject:* Reminder",
        ]
        for block in blocks {
            let parts = ReplyExtractor.split("New text here.\n\n" + block + "\n\nDear customer, please pay.")
            #expect(parts.newText == "New text here.", "\(block)")
        }
    }

    @Test func keepsInterleavedAnswers() {
        let parts = ReplyExtractor.split("""
            On Tue, 10 Mar 2026, AR <ar@supplier.example> wrote:
            > When will invoice 42 be paid?
            On the 20th.
            > And invoice 43?
            That one is disputed, see attached.
            """)
        #expect(parts.newText == "On the 20th.\nThat one is disputed, see attached.")
    }

    @Test func separatesSignatureAndMobileFooter() {
        let parts = ReplyExtractor.split("Paid.\n-- \nJane Roe\nAcme Ltd")
        #expect(parts.newText == "Paid.")
        #expect(parts.signature == "Jane Roe\nAcme Ltd")
        #expect(ReplyExtractor.split("Will pay Friday\n\nSent from my iPhone").newText == "Will pay Friday")
        #expect(ReplyExtractor.split("Zahlung folgt.\nVon meinem iPhone gesendet").newText == "Zahlung folgt.")
    }

    @Test func textWithoutHistoryIsUnchanged() {
        let text = "We dispute invoice 42:\n- wrong quantity\n- wrong price"
        #expect(ReplyExtractor.split(text) == ReplyParts(newText: text))
    }
}
