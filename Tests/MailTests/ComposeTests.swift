import Foundation
import Testing
@testable import Mail

@Suite struct ComposeTests {
    static let sentAt = Date(timeIntervalSince1970: 1_773_568_800)  // 2026-03-15 10:00 UTC

    static func reminder(html: String? = "<p>Hello</p>") -> OutgoingMail {
        OutgoingMail(
            from: MailAddress("ar@supplier.example", name: "Supplier GmbH Accounts"),
            to: [MailAddress("jane@acme.example", name: "Jane Roe")],
            subject: "Reminder: invoice INV-1001",
            date: sentAt,
            messageID: MessageID.deterministic(taskID: "task-42", step: "1", domain: "supplier.example"),
            textBody: "Hello Jane,\nplease pay.",
            htmlBody: html
        )
    }

    static func text(_ mail: OutgoingMail) -> String {
        String(decoding: mail.rendered(), as: UTF8.self)
    }

    static func headerSection(_ mail: OutgoingMail) -> String {
        let rendered = text(mail)
        return String(rendered[..<rendered.range(of: "\r\n\r\n")!.lowerBound])
    }

    @Test func rendersTheStandardHeaders() {
        let head = Self.headerSection(Self.reminder())
        #expect(head.contains("Date: Sun, 15 Mar 2026 10:00:00 +0000\r\n"))
        #expect(head.contains("From: Supplier GmbH Accounts <ar@supplier.example>\r\n"))
        #expect(head.contains("To: Jane Roe <jane@acme.example>\r\n"))
        #expect(head.contains("Subject: Reminder: invoice INV-1001\r\n"))
        #expect(head.contains("MIME-Version: 1.0"))
        #expect(head.contains("Content-Type: multipart/alternative;"))
    }

    @Test func dateHeaderUsesTheGivenZone() {
        var mail = Self.reminder()
        mail.timeZone = TimeZone(identifier: "Europe/Berlin")!
        #expect(Self.headerSection(mail).contains("Date: Sun, 15 Mar 2026 11:00:00 +0100\r\n"))
        mail.timeZone = TimeZone(secondsFromGMT: -(3 * 3600 + 1800))!
        #expect(Self.headerSection(mail).contains("Date: Sun, 15 Mar 2026 06:30:00 -0330\r\n"))
    }

    @Test func messageIDIsDeterministicPerTaskAndStep() {
        let first = MessageID.deterministic(taskID: "task-42", step: "1", domain: "Supplier.Example")
        #expect(first == MessageID.deterministic(taskID: "task-42", step: "1", domain: "supplier.example"))
        #expect(first != MessageID.deterministic(taskID: "task-42", step: "2", domain: "supplier.example"))
        #expect(first != MessageID.deterministic(taskID: "task-4", step: "21", domain: "supplier.example"))
        #expect(first.hasSuffix("@supplier.example"))
        #expect(first.split(separator: "@")[0].count == 32)
    }

    @Test func retriedSendProducesIdenticalBytes() {
        let mail = Self.reminder()
        #expect(mail.rendered() == Self.reminder().rendered())
        var other = Self.reminder()
        other.messageID = MessageID.deterministic(taskID: "task-43", step: "1", domain: "supplier.example")
        #expect(other.boundary != mail.boundary)
        #expect(Self.text(mail).contains("boundary=\"\(mail.boundary)\""))
    }

    @Test func usesCRLFOnlyAndShortLines() {
        var mail = Self.reminder(html: "<p>" + String(repeating: "ä long paragraph ", count: 200) + "</p>")
        mail.textBody = String(repeating: "x", count: 3000) + "\n" + String(repeating: "Grüße ", count: 300)
        let bytes = mail.rendered()
        for (index, byte) in bytes.enumerated() where byte == 10 {
            #expect(index > 0 && bytes[index - 1] == 13)
        }
        for (index, byte) in bytes.enumerated() where byte == 13 {
            #expect(index + 1 < bytes.count && bytes[index + 1] == 10)
        }
        let lines = Self.text(mail).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(bytes.allSatisfy { $0 < 128 })
    }

    @Test func encodesNonASCIISubjectAndFoldsIt() {
        var mail = Self.reminder()
        mail.subject = "Zahlungserinnerung für Rechnung RE-2026-0042 über 1.234,56 € – bitte prüfen Sie die offenen Posten"
        let head = Self.headerSection(mail)
        #expect(head.contains("=?UTF-8?"))
        #expect(head.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let parsed = try! ParsedMessage(parsing: mail.rendered())
        #expect(parsed.subject == mail.subject)
    }

    @Test func foldsLongASCIIHeadersAtSpaces() {
        var mail = Self.reminder()
        mail.subject = Array(repeating: "overdue", count: 30).joined(separator: " ")
        let head = Self.headerSection(mail)
        let subjectLines = head.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 1)
        #expect(subjectLines.allSatisfy { $0.utf8.count <= 78 })
        #expect(!head.contains("=?"))
    }

    @Test func quotesOrEncodesDisplayNames() {
        var mail = Self.reminder()
        mail.to = [
            MailAddress("h.mueller@acme.example", name: "Müller, Hans"),
            MailAddress("jd@acme.example", name: "Doe, John \"JD\""),
            MailAddress("plain@acme.example"),
        ]
        let head = Self.headerSection(mail)
        #expect(head.contains("\"Doe, John \\\"JD\\\"\" <jd@acme.example>"))
        #expect(!head.contains("Müller"))
        let parsed = try! ParsedMessage(parsing: mail.rendered())
        #expect(parsed.to == mail.to)
    }

    @Test func plainTextOnlyMessageIsSinglePart() {
        let mail = Self.reminder(html: nil)
        let rendered = Self.text(mail)
        #expect(rendered.contains("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(!rendered.contains("multipart"))
    }

    @Test func quotedPrintableBodyEncodesUTF8AndEquals() {
        var mail = Self.reminder(html: nil)
        mail.textBody = "Betrag: 1.234,56 €\nA=B \nfin"
        let rendered = Self.text(mail)
        #expect(rendered.contains("Betrag: 1.234,56 =E2=82=AC\r\nA=3DB=20\r\nfin"))
    }

    @Test func threadHeadersContinueTheConversation() {
        var mail = Self.reminder()
        mail.continueThread(after: "second@supplier.example", parentReferences: ["first@supplier.example"])
        let head = Self.headerSection(mail)
        #expect(head.contains("In-Reply-To: <second@supplier.example>\r\n"))
        #expect(head.contains("References: <first@supplier.example> <second@supplier.example>"))
        #expect(head.contains("Message-ID: <\(mail.messageID)>\r\n"))
    }

    @Test func extraHeadersAreWrittenAndCannotInjectOrDuplicate() {
        var mail = Self.reminder()
        mail.extraHeaders = [
            MailHeader("Auto-Submitted", "auto-generated"),
            MailHeader("List-Unsubscribe", "<mailto:unsubscribe@supplier.example?subject=stop>, <https://supplier.example/u/abc>"),
            MailHeader("X-Note", "line one\r\nBcc: victim@evil.example"),
            MailHeader("Subject", "second subject"),
        ]
        let head = Self.headerSection(mail)
        #expect(head.contains("Auto-Submitted: auto-generated\r\n"))
        #expect(head.contains("List-Unsubscribe: <mailto:unsubscribe@supplier.example?subject=stop>,"))
        #expect(!head.contains("\r\nBcc:"))
        #expect(head.components(separatedBy: "Subject:").count == 2)
        let parsed = try! ParsedMessage(parsing: mail.rendered())
        #expect(parsed.headers["X-Note"] == "line one Bcc: victim@evil.example")
    }
}
