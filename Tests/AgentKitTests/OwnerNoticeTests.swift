import AgentKit
import Dunning
import Foundation
import Logging
import Mail
import TestSupport
import Testing

struct OwnerNoticeTests {
    typealias F = ReminderFixtures
    let nbsp = "\u{00A0}"

    var notice: OwnerNotice {
        OwnerNotice(
            customerName: "Beta Ltd", accountReference: "C-1042", escalationLevel: 2,
            reasons: ["promise of 2026-03-31 broken", "2 invoices overdue totalling EUR 1,484.50, oldest 20 days"],
            openInvoices: [
                OpenInvoice(number: "INV-2026-007", issuedOn: F.date("2026-03-02"), dueOn: F.date("2026-04-01"), openAmount: F.euros(25_000)),
                OpenInvoice(number: "INV-2026-001", issuedOn: F.date("2026-02-13"), dueOn: F.date("2026-03-15"), openAmount: F.euros(123_450)),
                OpenInvoice(number: "INV-2026-003", issuedOn: F.date("2026-02-20"), dueOn: F.date("2026-03-20"), openAmount: F.euros(9_900), isDisputed: true),
                OpenInvoice(number: "INV-2026-012", issuedOn: F.date("2026-03-30"), dueOn: F.date("2026-04-29"), openAmount: Money(minorUnits: 50_000, currency: "USD")),
            ],
            promises: [PromiseToPay(promisedOn: F.date("2026-03-31"), amount: F.euros(25_000), invoiceNumbers: ["INV-2026-007"], status: .broken)],
            messages: (1...7).map { day in
                ThreadMessage(direction: day.isMultiple(of: 2) ? .inbound : .outbound,
                              at: F.now.addingTimeInterval(Double(day - 8) * 86_400), counterpart: "jane@beta.example",
                              subject: "Re: Outstanding payment", excerpt: "message \(day)",
                              classification: day.isMultiple(of: 2) ? "promise_to_pay" : nil)
            },
            actions: [AgentAction(at: F.now.addingTimeInterval(-9 * 86_400), description: "sent a firm reminder for INV-2026-001 and INV-2026-007")],
            outreachPaused: true, today: F.date("2026-04-04"), timeZone: F.berlin)
    }

    @Test func theOwnerGetsWhatTheyNeedToAct() {
        #expect(notice.overdueTotals == [F.euros(148_450)])
        #expect(notice.oldestOverdueInvoice?.number == "INV-2026-001")

        let mail = notice.mail(from: F.sender.address, to: MailAddress("max@acme.example", name: "Max Muster"), language: .english,
                               now: F.now, taskID: "task-9", step: "notify-owner")
        #expect(mail.subject == "Needs your attention: Beta Ltd, EUR\(nbsp)1,484.50 overdue (escalation level 2)")
        let text = mail.textBody
        #expect(text.hasPrefix("Hello Max Muster,\n\nBeta Ltd (customer number C-1042) has reached escalation level 2 and needs your attention."))
        #expect(text.contains("Why now:\n- promise of 2026-03-31 broken\n"))
        #expect(text.contains("Overdue: EUR\(nbsp)1,484.50\nOldest invoice: INV-2026-001, EUR\(nbsp)1,234.50, due 15\(nbsp)March 2026 (20 days overdue)"))
        #expect(text.contains("Open invoices:\n- Invoice INV-2026-001: EUR\(nbsp)1,234.50, due 15\(nbsp)March 2026 (20 days overdue)\n"))
        #expect(text.contains("- Invoice INV-2026-003: EUR\(nbsp)99.00, due 20\(nbsp)March 2026 (15 days overdue) (disputed)\n"))
        #expect(text.contains("- Invoice INV-2026-012: USD\(nbsp)500.00, due 29\(nbsp)April 2026 (due in 25 days)\n"))
        #expect(text.contains("- EUR\(nbsp)250.00 by 31\(nbsp)March 2026: broken"))
        // The last five messages, with their local time and classification.
        #expect(!text.contains("message 2"))
        #expect(text.contains("- 2\(nbsp)April 2026 09:00, received from jane@beta.example [promise_to_pay]: “Re: Outstanding payment” – message 6\n"))
        #expect(text.contains("- 3\(nbsp)April 2026 09:00, sent to jane@beta.example: “Re: Outstanding payment” – message 7\n"))
        // Before the clocks changed on 29 March, 07:00 UTC was 08:00 in Berlin.
        #expect(text.contains("What the agents did:\n- 26\(nbsp)March 2026 08:00: sent a firm reminder for INV-2026-001 and INV-2026-007"))
        #expect(text.contains("Automated reminders to this customer are paused while you handle it."))
        #expect(mail.htmlBody?.contains("<td>INV-2026-001</td>") == true)
    }

    @Test func theNoticeIsWrittenInTheOwnersLanguage() {
        let german = notice.mail(from: F.sender.address, to: MailAddress("max@acme.example"), language: .german, now: F.now, taskID: "t", step: "s")
        #expect(german.subject == "Bitte übernehmen: Beta Ltd, 1.484,50\(nbsp)EUR überfällig (Eskalationsstufe 2)")
        #expect(german.textBody.contains("Älteste Rechnung: INV-2026-001, 1.234,50\(nbsp)EUR, fällig am 15.\(nbsp)März 2026 (seit 20 Tagen überfällig)"))
        let french = notice.mail(from: F.sender.address, to: MailAddress("max@acme.example"), language: .french, now: F.now, taskID: "t", step: "s")
        #expect(french.textBody.contains("Facture la plus ancienne\(nbsp): INV-2026-001, 1\(nbsp)234,50\(nbsp)EUR, échéance le 15\(nbsp)mars 2026 (en retard de 20 jours)"))
    }

    @Test func theWebhookPayloadHasOneStableShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(notice.payload)) as? [String: Any])
        #expect(Set(object.keys) == ["event", "customer", "escalation_level", "reasons", "overdue_totals", "oldest_invoice",
                                     "open_invoices", "promises", "recent_messages", "actions", "outreach_paused", "as_of"])
        #expect(object["event"] as? String == "owner.notification")
        #expect(object["overdue_totals"] as? [[String: String]] == [["amount": "1484.50", "currency": "EUR"]])
        let oldest = object["oldest_invoice"] as? [String: Any]
        #expect(oldest?["number"] as? String == "INV-2026-001")
        #expect(oldest?["due_on"] as? String == "2026-03-15")
        #expect(oldest?["days_overdue"] as? Int == 20)
        #expect((object["recent_messages"] as? [[String: Any]])?.count == 5)
        #expect((object["recent_messages"] as? [[String: Any]])?.last?["classification"] is NSNull)
        #expect((object["promises"] as? [[String: Any]])?.first?["status"] as? String == "broken")
        #expect(object["as_of"] as? String == "2026-04-04")
    }

    @Test func thePayloadIsDeliveredSigned() async throws {
        let server = try await EchoServer()
        defer { server.stop() }
        let secret = Secret("whsec_owner")
        let delivery = try await WebhookNotifier(policy: .privateAddressesAllowed, logger: Logger(label: "test"))
            .deliver(notice.payload, event: OwnerNotice.Payload.event, deliveryID: "task-9:notify-owner", to: server.url("/echo"), secret: secret)
        let request = try EchoedRequest(delivery.responseBody)
        #expect(WebhookSignature.verify(request.header("Arrears-Signature") ?? "", body: request.body, secret: secret))
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
        #expect((body?["customer"] as? [String: Any])?["reference"] as? String == "C-1042")
    }
}
