import AgentKit
import Foundation
import Logging
import Mail
import TestSupport
import Testing

/// Drafts from a language model (the fake OpenAI-compatible server) are used only when every
/// fact in them is right; otherwise, and whenever the model fails, the template goes out.
struct ReminderDrafterTests {
    typealias F = ReminderFixtures
    let thread = MailThread(lastMessageID: "reply-1@beta.example", references: ["first@acme.example"], subject: "Re: Payment reminder")
    var request: ReminderRequest { F.request(tone: .firm, payBy: F.date("2026-04-14"), thread: thread) }

    let goodDraft = """
        Dear Jane Roe,

        I hope all is well. Two invoices on your account are still waiting for payment:

        - INV-2026-001: EUR 1,234.50, due 15 March 2026, now 20 days overdue
        - INV-2026-007: EUR 250.00, due 1 April 2026, now 3 days overdue

        Could you arrange payment of the EUR 1,484.50 by 14 April 2026, or let me know when we can expect it? \
        If something is holding it up, just reply and we will sort it out together.

        Kind regards,
        """

    func drafter(_ server: FakeLLMServer, timeout: Duration = .seconds(10)) -> ReminderDrafter {
        ReminderDrafter(
            client: LLMClient(configuration: LLMConfiguration(baseURL: server.baseURL, model: "test-model", timeout: timeout)),
            logger: Logger(label: "test"))
    }

    @Test func aCorrectDraftIsSentWithTheTemplatesFrameAndThread() async throws {
        let server = try await FakeLLMServer(answer: goodDraft)
        defer { server.stop() }

        let drafted = await drafter(server).draft(request)

        #expect(drafted.source == .languageModel)
        #expect(drafted.fallbackReasons.isEmpty)
        let mail = drafted.mail
        #expect(mail.textBody.hasPrefix("Dear Jane Roe,\n\nI hope all is well."))
        // The model's own closing is replaced by the template's, with signature and payment details.
        #expect(mail.textBody.hasSuffix("IBAN DE02 1203 0000 0000 2020 51, BIC BYLADEM1001\n\nKind regards,\n\nJana Weber\nAccounts Receivable\nAcme GmbH\n"))
        #expect(mail.textBody.components(separatedBy: "Kind regards").count == 2)
        #expect(mail.htmlBody?.contains("<li>INV-2026-001: EUR 1,234.50, due 15 March 2026, now 20 days overdue</li>") == true)
        #expect(mail.subject == "Re: Payment reminder")
        #expect(mail.inReplyTo == "reply-1@beta.example")
        #expect(mail.messageID == ReminderComposer().compose(request).mail.messageID)

        // The model was given the facts in the customer's formats, and the template to rewrite.
        let messages = try await server.lastRequest().body["messages"] as? [[String: String]]
        let system = messages?.first?["content"] ?? ""
        #expect(system.contains("- INV-2026-001: EUR\u{00A0}1,234.50, due 15\u{00A0}March 2026, 20 days overdue"))
        #expect(system.contains("Ask for payment by: 14\u{00A0}April 2026"))
        #expect(messages?.last?["content"]?.contains("Our records show that the following invoices remain unpaid:") == true)
    }

    @Test func aDraftWithAWrongAmountFallsBackToTheTemplate() async throws {
        let server = try await FakeLLMServer(answer: goodDraft.replacingOccurrences(of: "EUR 1,484.50", with: "EUR 1,448.50"))
        defer { server.stop() }

        let drafted = await drafter(server).draft(request)

        #expect(drafted.source == .template)
        #expect(drafted.mail == ReminderComposer().compose(request).mail)
        #expect(drafted.fallbackReasons.count == 1)
        #expect(drafted.fallbackReasons.first?.contains("EUR 1,448.50") == true)
    }

    @Test func aDraftNamingAnotherInvoiceOrDateFallsBack() async throws {
        for wrong in [goodDraft.replacingOccurrences(of: "INV-2026-007", with: "INV-2026-070"),
                      goodDraft.replacingOccurrences(of: "14 April 2026", with: "24 April 2026")] {
            let server = try await FakeLLMServer(answer: wrong)
            defer { server.stop() }
            let drafted = await drafter(server).draft(request)
            #expect(drafted.source == .template)
            #expect(!drafted.fallbackReasons.isEmpty)
        }
    }

    @Test func aFailingSlowOrGarbledModelNeverStopsTheReminder() async throws {
        let template = ReminderComposer().compose(request).mail
        let servers = [
            try await FakeLLMServer(status: 500),
            try await FakeLLMServer(rawBody: "<html>Bad gateway</html>"),
            try await FakeLLMServer(delaySeconds: 5),
        ]
        defer { servers.forEach { $0.stop() } }
        for server in servers {
            let drafted = await drafter(server, timeout: .seconds(2)).draft(request)
            #expect(drafted.source == .template)
            #expect(drafted.mail == template)
            #expect(!drafted.fallbackReasons.isEmpty)
        }

        let nobody = try await FakeLLMServer()
        let unreachable = drafter(nobody)
        nobody.stop()
        #expect(await unreachable.draft(request).source == .template)
    }
}
