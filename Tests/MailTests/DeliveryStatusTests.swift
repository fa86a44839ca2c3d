import Testing
@testable import Mail

@Suite struct DeliveryStatusTests {
    static func report(action: String, status: String, diagnostic: String, original: String) -> String {
        """
        From: Mail Delivery System <MAILER-DAEMON@mx.supplier.example>
        To: ar@supplier.example
        Subject: Undelivered Mail Returned to Sender
        Auto-Submitted: auto-replied
        Content-Type: multipart/report; report-type=delivery-status;
            boundary="B1"

        --B1
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx.supplier.example.
        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.supplier.example
        Arrival-Date: Tue, 10 Mar 2026 09:15:02 +0100

        Final-Recipient: rfc822; jane@acme.example
        Original-Recipient: rfc822;jane@acme.example
        Action: \(action)
        Status: \(status)
        Remote-MTA: dns; mx.acme.example
        Diagnostic-Code: smtp; \(diagnostic)

        --B1
        \(original)
        --B1--
        """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    @Test func readsAHardBounce() throws {
        let message = try ParsedMessage(parsing: Self.report(
            action: "failed", status: "5.1.1",
            diagnostic: "550 5.1.1 <jane@acme.example>: Recipient address rejected: User unknown",
            original: "Content-Type: message/rfc822\n\nFrom: ar@supplier.example\nMessage-ID: <r1@supplier.example>\nSubject: Reminder\n\nPlease pay."
        ))
        let report = try #require(message.deliveryStatus)
        #expect(report.reportingMTA == "mx.supplier.example")
        #expect(report.originalMessageID == "r1@supplier.example")
        #expect(report.recipients == [RecipientStatus(
            finalRecipient: "jane@acme.example", originalRecipient: "jane@acme.example", action: "failed", status: "5.1.1",
            diagnosticCode: "550 5.1.1 <jane@acme.example>: Recipient address rejected: User unknown", remoteMTA: "mx.acme.example"
        )])
        #expect(report.failures.first?.statusClass == .permanentFailure)
        #expect(message.text.contains("could not"))
    }

    @Test func readsASoftBounceWithHeadersOnly() throws {
        let message = try ParsedMessage(parsing: Self.report(
            action: "delayed", status: "4.2.2", diagnostic: "452 4.2.2 Mailbox full",
            original: "Content-Type: text/rfc822-headers\n\nFrom: ar@supplier.example\nMessage-ID: <r2@supplier.example>\n"
        ))
        let report = try #require(message.deliveryStatus)
        #expect(report.originalMessageID == "r2@supplier.example")
        #expect(report.failures.map(\.statusClass) == [.transientFailure])
        #expect(report.recipients.first?.diagnosticCode == "452 4.2.2 Mailbox full")
    }

    @Test func ordinaryMessageHasNoReport() throws {
        let message = try ParsedMessage(parsing: "From: a@b.example\r\nSubject: hi\r\n\r\nhello")
        #expect(message.deliveryStatus == nil)
    }

    @Test func statusClassFallsBackToTheAction() {
        #expect(RecipientStatus(action: "failed").statusClass == .permanentFailure)
        #expect(RecipientStatus(action: "delayed").statusClass == .transientFailure)
        #expect(RecipientStatus(action: "failed", status: "4.4.7").statusClass == .transientFailure)
        #expect(RecipientStatus().statusClass == nil)
    }
}
