import Dunning
import Foundation
import Mail
import Testing
@testable import Triage

/// The cases the classifier must get right whatever else changes, as plain text.
@Suite struct TriageRulesTests {
    /// Wednesday 11 March 2026, 10:00 in Berlin.
    static let sentAt = MailDate.parse("Wed, 11 Mar 2026 10:00:00 +0100")!
    static let context = TriageContext(
        openInvoiceNumbers: ["INV-2026-0042", "10077"], defaultCurrency: "EUR", timeZone: TimeZone(identifier: "Europe/Berlin")!
    )

    static func classify(_ text: String, subject: String? = nil) -> TriageResult {
        TriageClassifier().classify(text: text, subject: subject, sentAt: sentAt, context: context)
    }

    @Test func refusingUntilACreditNoteArrivesIsADispute() {
        let result = Self.classify("We will NOT pay invoice INV-2026-0042 until the credit note arrives.")
        #expect(result.kind == .dispute)
        #expect(result.invoices == ["INV-2026-0042"])
        #expect(result.promisedOn == nil)
    }

    @Test func aPromiseForAListOfInvoicesReadsLikeOneForASingleInvoice() {
        let german = Self.classify("Die Zahlung für INV-10062, INV-10063, INV-10064 und INV-10068 erfolgt am 20.03.2026.")
        #expect(german.kind == .promiseToPay)
        #expect(german.promisedOn?.description == "2026-03-20")
        #expect(german.invoices == ["INV-10062", "INV-10063", "INV-10064", "INV-10068"])
        let english = Self.classify("We will pay INV-1, INV-2, INV-3, INV-4 and INV-5 on 2026-03-20.")
        #expect(english.kind == .promiseToPay && english.invoices.count == 5)
    }

    @Test func deferringToADateIsAPromise() {
        let result = Self.classify("Sorry, we won't be able to pay before the 30th.")
        #expect(result.kind == .promiseToPay)
        #expect(result.promisedOn?.description == "2026-03-30")
    }

    @Test func paidYesterdayWithAReferenceIsAlreadyPaid() {
        let result = Self.classify("paid yesterday, ref 88231")
        #expect(result.kind == .alreadyPaid)
        #expect(result.reasons.contains("remittance reference 88231"))
    }

    @Test func anObligationIsNoPayment() {
        #expect(Self.classify("Die Rechnung muss bis Freitag bezahlt werden, sagt unser Chef.").kind != .alreadyPaid)
        #expect(Self.classify("We have not paid yet.").kind != .alreadyPaid)
        #expect(Self.classify("Wir haben die Rechnung noch nicht bezahlt.").kind != .alreadyPaid)
    }

    @Test func promiseCarriesDateAndAmount() {
        let result = Self.classify("We will transfer 1.234,56 € next Friday.")
        #expect(result.kind == .promiseToPay)
        #expect(result.promisedOn?.description == "2026-03-20")
        #expect(result.amountMinorUnits == 123_456)
        #expect(result.currency == "EUR")
    }

    @Test func leavingTheCompanyNamesTheNewContact() {
        let result = Self.classify("I have left the company, please write to my colleague Jane Roe <jane@acme.com>.")
        #expect(result.kind == .contactChange)
        #expect(result.newContact == NewContact(name: "Jane Roe", email: "jane@acme.com"))
    }

    @Test func pointingToAnAddressIsAContactChange() {
        let result = Self.classify("I no longer handle invoices. Please contact accounts@acme.com.")
        #expect(result.kind == .contactChange)
        #expect(result.newContact?.email == "accounts@acme.com")
    }

    @Test func outOfOfficeKeepsTheReturnDateAndTheStandIn() {
        let result = Self.classify(
            "I am out of the office until Monday 16 March. In urgent cases please contact John Smith (john.smith@acme.com).",
            subject: "Automatic reply: Payment reminder"
        )
        #expect(result.kind == .outOfOffice)
        #expect(result.returnOn?.description == "2026-03-16")
        #expect(result.newContact == NewContact(name: "John Smith", email: "john.smith@acme.com"))
    }

    @Test func quotedHistoryDoesNotCount() {
        let text = """
            Thanks, noted.

            On Mon, 9 Mar 2026 at 09:15, AR <ar@supplier.example> wrote:
            > If you have already paid, please disregard this message.
            > To stop receiving these reminders, reply with UNSUBSCRIBE.
            """
        #expect(Self.classify(text).kind == .other)
    }

    @Test func knownInvoiceNumbersAreFoundInAnyWording() {
        let result = Self.classify("Bitte senden Sie uns eine Kopie von 10077 und der Rechnung Nr. RE-2026-9 zu.")
        #expect(result.kind == .question)
        #expect(result.invoices == ["10077", "RE-2026-9"])
    }

    @Test func aBareStopIsAnOptOut() {
        #expect(Self.classify("STOP").kind == .unsubscribe)
        #expect(Self.classify("Please stop.").kind == .unsubscribe)
    }

    @Test func emptyAndOddTextIsOther() {
        for text in ["", "   ", "😀😀😀", String(repeating: "a", count: 10_000), "€€€ 123 ... ??? !!!".replacingOccurrences(of: "?", with: "")] {
            let result = Self.classify(text)
            #expect(result.kind == .other || result.kind == .question, "\(text.prefix(20))")
            #expect(!result.reasons.isEmpty)
        }
    }

    @Test func htmlOnlyMessageIsClassifiedFromItsText() throws {
        let message = try ParsedMessage(parsing: """
            From: Jane Roe <jane@acme.com>
            Date: Wed, 11 Mar 2026 10:00:00 +0100
            Subject: Re: Payment reminder
            Content-Type: text/html; charset=utf-8

            <html><body><p>Hello,</p><p>we will pay on <b>20.03.2026</b>.</p>
            <blockquote>If you have already paid, please disregard this message.</blockquote></body></html>
            """)
        let result = TriageClassifier().classify(message, sentAt: message.date!, context: Self.context)
        #expect(result.kind == .promiseToPay)
        #expect(result.promisedOn?.description == "2026-03-20")
    }

    @Test func deliveryStatusNotificationsAreHardOrSoftBounces() throws {
        func report(_ action: String, _ status: String) throws -> TriageResult {
            let message = try ParsedMessage(parsing: """
                From: MAILER-DAEMON@mx.example
                Subject: Undelivered Mail Returned to Sender
                Content-Type: multipart/report; report-type=delivery-status; boundary=b

                --b
                Content-Type: text/plain

                Delivery failed.
                --b
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.example

                Final-Recipient: rfc822; jane@acme.com
                Action: \(action)
                Status: \(status)
                --b--
                """)
            return TriageClassifier().classify(message, sentAt: Self.sentAt)
        }
        #expect(try report("failed", "5.1.1").bounce == .hard)
        #expect(try report("delayed", "4.2.2").bounce == .soft)
        #expect(try report("failed", "5.1.1").kind == .bounce)
        #expect(try report("delivered", "2.0.0").kind == .other)
    }
}
