import AgentKit
import Dunning
import Foundation
import Logging
import TestSupport
import Testing
import Triage

/// The model is asked only when the rules are unsure, and believed only when its answer is
/// well-formed and grounded in the reply.
struct ReplyClassifierTests {
    /// Wednesday 1 April 2026, 10:00 in Berlin.
    let sentAt = Date(timeIntervalSince1970: 1_775_030_400)
    let context = TriageContext(openInvoiceNumbers: ["INV-2026-001", "INV-2026-007"], defaultCurrency: "EUR",
                                timeZone: TimeZone(identifier: "Europe/Berlin")!)
    let reply = "Hi Jana, the budget for INV-2026-001 gets released shortly, so you'll see the 1,234.50 EUR on the 10th of April at the latest. Cheers, Jane"

    func classifier(_ server: FakeLLMServer?, threshold: Double = 1.0) -> ReplyClassifier {
        ReplyClassifier(
            client: server.map { LLMClient(configuration: LLMConfiguration(baseURL: $0.baseURL, model: "test-model", timeout: .seconds(3))) },
            confidenceThreshold: threshold, logger: Logger(label: "test"))
    }

    func answer(kind: String = "promise_to_pay", promisedOn: String? = "2026-04-10", amount: String? = "\"1234.50\"",
                invoices: [String] = ["INV-2026-001"], confidence: Double = 0.85) -> String {
        let date = promisedOn.map { "\"\($0)\"" } ?? "null"
        let list = invoices.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
            ```json
            {"kind": "\(kind)", "promised_on": \(date), "amount": \(amount ?? "null"), "currency": "EUR", "return_on": null,
             "new_contact": null, "bounce": null, "invoices": [\(list)], "confidence": \(confidence),
             "reason": "They commit to paying the invoice by 10 April."}
            ```
            """
    }

    @Test func aGroundedAnswerReplacesAnUnsureRuling() async throws {
        let server = try await FakeLLMServer(answer: answer())
        defer { server.stop() }

        let classified = await classifier(server).classify(text: reply, subject: "Re: Outstanding payment", sentAt: sentAt, context: context)

        #expect(classified.source == .languageModel)
        #expect(classified.result.kind == .promiseToPay)
        #expect(classified.result.promisedOn == CalendarDate(year: 2026, month: 4, day: 10))
        #expect(classified.result.amountMinorUnits == 123_450)
        #expect(classified.result.currency == "EUR")
        #expect(classified.result.invoices == ["INV-2026-001"])
        #expect(classified.result.confidence == 0.85)
        #expect(classified.result.reasons.first == "language model: They commit to paying the invoice by 10 April.")

        let messages = try await server.lastRequest().body["messages"] as? [[String: String]]
        #expect(messages?.first?["content"]?.contains("written on 2026-04-01 (wednesday)") == true)
        #expect(messages?.last?["content"]?.hasPrefix("Subject: Re: Outstanding payment\n\n") == true)
    }

    @Test(arguments: [
        ("EUR 1,243.50", "promise_to_pay", "2026-04-10", "\"1243.50\"", ["INV-2026-001"]),
        ("2026-04-17", "promise_to_pay", "2026-04-17", "\"1234.50\"", ["INV-2026-001"]),
        ("INV-2026-007", "promise_to_pay", "2026-04-10", "\"1234.50\"", ["INV-2026-007"]),
        ("payment_plan", "payment_plan", "2026-04-10", "\"1234.50\"", ["INV-2026-001"]),
    ])
    func anUngroundedOrInvalidAnswerKeepsTheRules(_ wrong: String, kind: String, promisedOn: String, amount: String, invoices: [String]) async throws {
        let server = try await FakeLLMServer(answer: answer(kind: kind, promisedOn: promisedOn, amount: amount, invoices: invoices))
        defer { server.stop() }
        let rules = TriageClassifier().classify(text: reply, sentAt: sentAt, context: context)

        let classified = await classifier(server).classify(text: reply, sentAt: sentAt, context: context)

        #expect(classified.source == .rules)
        #expect(classified.result == rules)
        #expect(classified.note?.contains(wrong) == true, "\(classified.note ?? "no note")")
    }

    @Test func garbageTimeoutsAndErrorsKeepTheRules() async throws {
        let rules = TriageClassifier().classify(text: reply, sentAt: sentAt, context: context)
        let servers = [
            try await FakeLLMServer(answer: "I think this is a promise to pay."),
            try await FakeLLMServer(answer: answer(confidence: 7)),
            try await FakeLLMServer(delaySeconds: 5),
            try await FakeLLMServer(status: 429),
        ]
        defer { servers.forEach { $0.stop() } }
        for server in servers {
            let classified = await classifier(server).classify(text: reply, sentAt: sentAt, context: context)
            #expect(classified.source == .rules)
            #expect(classified.result == rules)
        }
    }

    @Test func confidentRulesAndBouncesAreNotSentToTheModel() async throws {
        let server = try await FakeLLMServer(answer: answer(kind: "question"))
        defer { server.stop() }

        let confident = await classifier(server, threshold: 0).classify(text: reply, sentAt: sentAt, context: context)
        #expect(confident.source == .rules)

        let bounce = "Delivery has failed to these recipients or groups:\njane@beta.example\nThe email address you entered couldn't be found. 550 5.1.1 User unknown"
        let bounced = await classifier(server).classify(text: bounce, subject: "Undeliverable: Payment reminder", sentAt: sentAt, context: context)
        #expect(bounced.result.kind == .bounce)
        #expect(bounced.source == .rules)
        #expect(!server.wasAsked)

        let withoutModel = await classifier(nil).classify(text: reply, sentAt: sentAt, context: context)
        #expect(withoutModel.source == .rules)
        #expect(withoutModel.note == nil)
    }
}
