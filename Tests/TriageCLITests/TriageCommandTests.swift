import Foundation
import TestSupport
import Testing

/// `arrears triage` as a script uses it: one reply on standard input, one line of JSON out.
/// Monday 2 March 2026 is the reference day unless the message carries a Date header.
@Suite struct TriageCommandTests {
    static let keys = ["amount_cents", "bounce", "confidence", "currency", "invoices", "kind", "new_contact", "promised_on", "reasons", "return_on"]

    /// Runs the binary and decodes its single line of output.
    static func triage(_ input: String, _ extraArguments: [String] = []) throws -> [String: Any] {
        let result = try ArrearsCommand.run(["triage", "--now", "2026-03-02"] + extraArguments, input: input)
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1, "\(result.output)")
        let object = try #require(JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
        #expect(object.keys.sorted() == keys)
        // Sorted keys, so the same reply always prints the same line.
        #expect(result.output.hasPrefix(#"{"amount_cents":"#))
        return object
    }

    @Test func aGermanPromiseWithARelativeDateIsReadFromNow() throws {
        let message = """
            From: Max Weber <buchhaltung@weber-metallbau.example>
            To: ar@northwind-supplies.example
            Subject: AW: Zahlungserinnerung RE-2026-0042
            Content-Type: text/plain; charset=utf-8

            Hallo Frau Schmidt,

            wir überweisen die 1.234,56 € für RE-2026-0042 nächsten Freitag.

            Viele Grüße
            Max Weber
            """
        let result = try Self.triage(message, ["--invoice", "RE-2026-0042", "--currency", "EUR"])
        #expect(result["kind"] as? String == "promise_to_pay")
        #expect(result["promised_on"] as? String == "2026-03-13")
        #expect(result["amount_cents"] as? Int == 123_456)
        #expect(result["currency"] as? String == "EUR")
        #expect(result["invoices"] as? [String] == ["RE-2026-0042"])
        #expect(result["new_contact"] is NSNull)
        #expect((result["reasons"] as? [String])?.isEmpty == false)
    }

    @Test func theMessagesDateHeaderWinsOverNow() throws {
        let message = """
            From: buchhaltung@weber-metallbau.example
            Date: Wed, 11 Mar 2026 10:00:00 +0100
            Subject: AW: Zahlungserinnerung

            Wir zahlen morgen.
            """
        let result = try Self.triage(message)
        #expect(result["kind"] as? String == "promise_to_pay")
        #expect(result["promised_on"] as? String == "2026-03-12")
    }

    @Test func aDeliveryStatusNotificationIsAHardBounce() throws {
        let message = """
            From: Mail Delivery System <MAILER-DAEMON@mx.northwind-supplies.example>
            To: ar@northwind-supplies.example
            Subject: Undelivered Mail Returned to Sender
            Date: Fri, 13 Mar 2026 10:40:00 +0100
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"

            --DSN
            Content-Type: text/plain; charset=utf-8

            Your message could not be delivered to one or more recipients.

            --DSN
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.northwind-supplies.example

            Final-Recipient: rfc822; lisa@grant-boutique.example
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <lisa@grant-boutique.example>: Recipient address rejected: User unknown

            --DSN--
            """
        let result = try Self.triage(message)
        #expect(result["kind"] as? String == "bounce")
        #expect(result["bounce"] as? String == "hard")
        #expect(result["promised_on"] is NSNull)
    }

    @Test func plainTextIsReadAsTheBodyEvenWhenItsFirstLineLooksLikeAHeader() throws {
        let result = try Self.triage("Note: I am out of the office until 16 March.\nPlease write to jane.roe@acme.example meanwhile.\n")
        #expect(result["kind"] as? String == "out_of_office")
        #expect(result["return_on"] as? String == "2026-03-16")
        let contact = try #require(result["new_contact"] as? [String: Any])
        #expect(contact["email"] as? String == "jane.roe@acme.example")
        #expect(contact.keys.sorted() == ["email", "name"])
    }

    @Test func emptyInputIsAOneLineErrorAndANonZeroExit() throws {
        for input in ["", " \n\n"] {
            let result = try ArrearsCommand.run(["triage", "--now", "2026-03-02"], input: input)
            #expect(result.status != 0)
            #expect(result.output.isEmpty)
            #expect(result.errors.split(separator: "\n").count == 1)
            #expect(result.errors.hasPrefix("Error: no message on standard input"))
        }
    }

    @Test func inputThatIsNeitherAMessageNorTextIsRefused() throws {
        let result = try ArrearsCommand.run(["triage"], input: "PK\u{0}\u{3}\u{4}")
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("neither an RFC 822 message nor UTF-8 text"))
    }

    @Test func helpExplainsInputAndOutput() throws {
        let help = try ArrearsCommand.run(["triage", "--help"])
        #expect(help.status == 0)
        for phrase in ["standard input", "RFC 822", "plain text", "--now", "--invoice", "--currency", "promised_on"] {
            #expect(help.output.contains(phrase), "\(phrase)")
        }
    }
}
