import AgentKit
import Crypto
import Foundation
import Mail
import Postgres
import Testing
import TestSupport

@Suite("Promise verification, escalation and the language model", .timeLimit(.minutes(3)))
struct PromiseAndEscalationTests {
    /// A promise made `daysAgo` for a date that has passed, recorded as the triage agent records one.
    func promise(_ book: AgentBook, _ customer: Int64, amount: Int64?) async throws -> Int64 {
        let promised = PostgresDate(daysSinceUnixEpoch: Int64(book.today.adding(days: -3).daysSinceEpoch))
        return try await book.pool.query("""
            INSERT INTO promises (tenant_id, customer_id, promised_on, amount, currency, status, covered_invoice_ids, covered_open_amount)
            SELECT tenant_id, customer_id, \(promised), \(amount), \(amount == nil ? nil : "EUR"), 'active',
                   array_agg(id ORDER BY id), sum(open_amount)
              FROM invoices WHERE customer_id = \(customer) GROUP BY tenant_id, customer_id
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    @Test("a kept promise is marked kept and the customer thanked in the thread; a broken one is marked broken")
    func verifiesPromises() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let keeper = try await book.customer("C-1")
            let paid = try await book.invoice(keeper, "INV-1", daysOverdue: 30, eur: "600.00")
            let kept = try await promise(book, keeper, amount: 60_000)
            try await book.pay(keeper, invoice: paid, eur: "600.00")
            let breaker = try await book.customer("C-2", contacts: [("ap@other.example", "billing")])
            let unpaid = try await book.invoice(breaker, "INV-2", daysOverdue: 30, eur: "900.00")
            let broken = try await promise(book, breaker, amount: 90_000)
            try await book.pay(breaker, invoice: unpaid, eur: "100.00")

            let worker = try await book.worker()
            defer { worker.child.stop() }
            let first = try await book.enqueue("promise_verification", customer: keeper, payload: #"{"promise_id": \#(kept)}"#)
            let second = try await book.enqueue("promise_verification", customer: breaker, payload: #"{"promise_id": \#(broken)}"#)
            #expect(try await book.finished(first).state == .succeeded)
            #expect(try await book.finished(second).state == .succeeded)

            #expect(try await book.text("SELECT status FROM promises WHERE id = \(kept)") == "kept")
            #expect(try await book.text("SELECT status FROM promises WHERE id = \(broken)") == "broken")
            let reasons = try await book.auditReasons(breaker, action: "promise_broken")
            #expect(reasons.first.map { $0.contains("broken: only") && $0.contains("100.00") && $0.contains("INV-2") } == true)
            let mails = try book.mails()
            #expect(mails.count == 1)
            #expect(mails.first?.to.map(\.address) == ["ap@customer.example"])
            #expect(mails.first?.text.contains("Thank you") == true)
        }
    }

    @Test("an escalation is recorded, hands the customer to its owner, and tells the owner by mail and signed webhook")
    func escalates() async throws {
        let sink = try await SMTPSink()
        let hooks = try await EchoServer()
        defer { sink.stop(); hooks.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink, webhookURL: hooks.url("/record/owner"))
            let secretKey = SymmetricKey(size: .bits256)
            let keyText = secretKey.withUnsafeBytes { Data($0).base64EncodedString() }
            try await pool.query("UPDATE tenant_settings SET webhook_secret_sealed = \(try sealed("hook-secret", tenant: book.tenantID, key: keyText))")
            let customer = try await book.customer("C-3", name: "Initech", owner: "owner@acme.example")
            try await book.invoice(customer, "INV-31", daysOverdue: 95, eur: "12000.00")
            try await pool.query("UPDATE customers SET escalation_level = 2 WHERE id = \(customer)")

            let worker = try await book.worker(environment: ["ARREARS_ALLOW_PRIVATE_URLS": "1", "ARREARS_SECRET_KEY": keyText])
            defer { worker.child.stop() }
            let task = try await book.enqueue("escalation", customer: customer, payload: """
                {"level": 2, "previous_level": 1, "reasons": ["EUR 12,000.00 overdue, the oldest invoice 95 days"]}
                """)
            #expect(try await book.finished(task).state == .succeeded)

            #expect(try await book.count("SELECT count(*) FROM escalations WHERE customer_id = \(customer) AND level = 2") == 1)
            #expect(try await book.count("SELECT count(*) FROM customers WHERE id = \(customer) AND owner_handling_until > CURRENT_DATE") == 1)
            let mail = try #require(try book.mails().first { $0.to.map(\.address) == ["owner@acme.example"] })
            #expect(mail.subject?.contains("Initech") == true)
            #expect(mail.text.contains("INV-31") && mail.text.contains("12,000.00"))

            let delivered = try await hooks.recorded("owner")
            try #require(delivered.count == 1)
            let body = delivered[0].body
            let signature = try #require(delivered[0].header("Arrears-Signature"))
            let parts = Dictionary(uniqueKeysWithValues: signature.split(separator: ",").map {
                let pair = $0.split(separator: "=", maxSplits: 1); return (String(pair[0]), String(pair[1]))
            })
            let expected = HMAC<SHA256>.authenticationCode(for: Array("\(parts["t"]!).".utf8) + body,
                                                           using: SymmetricKey(data: Data("hook-secret".utf8)))
            #expect(parts["v1"] == expected.map { String(format: "%02x", $0) }.joined())
            let payload = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            #expect((payload?["customer"] as? [String: Any])?["name"] as? String == "Initech")
            #expect(try await book.auditActions(customer).contains("owner_notified"))
        }
    }

    @Test("an escalation retried because the webhook was down records, pauses, audits and mails the owner once")
    func retriedEscalation() async throws {
        let sink = try await SMTPSink()
        let hooks = try await EchoServer()
        defer { sink.stop(); hooks.stop() }
        try await withTestDatabase { pool, database in
            // Five refusals use up the first attempt's deliveries; the retry's gets through.
            let book = try await AgentBook.create(pool, database, sink: sink, webhookURL: hooks.url("/flaky/5/owner"))
            let keyText = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            try await pool.query("UPDATE tenant_settings SET webhook_secret_sealed = \(try sealed("s", tenant: book.tenantID, key: keyText))")
            let customer = try await book.customer("C-5", name: "Globex", owner: "owner@acme.example")
            try await book.invoice(customer, "INV-51", daysOverdue: 95, eur: "15000.00")
            try await pool.query("UPDATE customers SET escalation_level = 2 WHERE id = \(customer)")

            let worker = try await book.worker(environment: ["ARREARS_ALLOW_PRIVATE_URLS": "1", "ARREARS_SECRET_KEY": keyText])
            defer { worker.child.stop() }
            let task = try await book.enqueue("escalation", customer: customer, payload: """
                {"level": 2, "previous_level": 1, "reasons": ["EUR 15,000.00 overdue"]}
                """)
            let finished = try await book.finished(task)
            #expect(finished.state == .succeeded)
            #expect(finished.attempt == 2, "the first attempt gave up on the webhook")

            #expect(try await book.count("SELECT count(*) FROM escalations WHERE customer_id = \(customer)") == 1)
            #expect(try await book.auditActions(customer).filter { $0 == "escalated" }.count == 1)
            #expect(try await book.auditActions(customer).filter { $0 == "owner_notified" }.count == 1)
            #expect(try book.mails().filter { $0.to.map(\.address) == ["owner@acme.example"] }.count == 1)
            #expect(try await book.text("SELECT status FROM notifications WHERE channel = 'webhook'") == "sent")
        }
    }

    @Test("a webhook a tenant points at a private address is refused, and nothing is posted there")
    func privateWebhookRefused() async throws {
        let sink = try await SMTPSink()
        let hooks = try await EchoServer()
        defer { sink.stop(); hooks.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink, webhookURL: hooks.url("/record/private"))
            let keyText = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
            try await pool.query("UPDATE tenant_settings SET webhook_secret_sealed = \(try sealed("s", tenant: book.tenantID, key: keyText))")
            // The tenant's mail goes through the operator's relay, which may be private; its webhook may not.
            try await pool.query("UPDATE tenant_settings SET smtp_url = NULL")
            let customer = try await book.customer("C-4", owner: "owner@acme.example")
            try await book.invoice(customer, "INV-41", daysOverdue: 50, eur: "300.00")
            let worker = try await book.worker(environment: [
                "ARREARS_SECRET_KEY": keyText, "ARREARS_SMTP_URL": sink.url(), "ARREARS_SMTP_SECURITY": "none",
            ])
            defer { worker.child.stop() }
            let task = try await book.enqueue("notify_owner", customer: customer, payload: #"{"reasons": ["broken promise"]}"#)
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try await hooks.recorded("private").isEmpty)
            #expect(try await book.text("SELECT status FROM notifications WHERE channel = 'webhook'") == "failed")
            let reasons = try await book.auditReasons(customer, action: "owner_notified")
            #expect(reasons.contains { $0.contains("webhook") && $0.contains("failed") })
            #expect(try book.mails().count == 1)
        }
    }

    @Test("a language model's draft with a wrong amount is not sent: the template goes out, and the audit says why")
    func wrongAmountDraftRejected() async throws {
        let sink = try await SMTPSink()
        let model = try await FakeLLMServer(answer: """
            Dear Pat,

            our records show invoice INV-51 over EUR 1,950.00 is still open. Please arrange payment this week.
            """)
        defer { sink.stop(); model.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-5")
            let invoice = try await book.invoice(customer, "INV-51", daysOverdue: 18, eur: "1590.00")
            let worker = try await book.worker(environment: [
                "ARREARS_ALLOW_PRIVATE_URLS": "1", "ARREARS_LLM_URL": model.baseURL, "ARREARS_LLM_MODEL": "test-model",
            ])
            defer { worker.child.stop() }
            let task = try await book.enqueue("outreach", customer: customer, payload: """
                {"stage": "firm", "tone": "firm", "invoice_ids": [\(invoice)]}
                """)
            #expect(try await book.finished(task).state == .succeeded)
            #expect(model.wasAsked)
            let mail = try #require(try book.mails().first)
            #expect(mail.text.contains("1,590.00") && !mail.text.contains("1,950.00"))
            let reasons = try await book.auditReasons(customer, action: "reminder_sent")
            #expect(reasons.contains { $0.hasPrefix("language model draft not used") && $0.contains("1,950.00") })
        }
    }

    /// A secret sealed as the API seals it: AES-GCM under the operator key, bound to its purpose.
    func sealed(_ secret: String, tenant: Int64, key: String) throws -> Data {
        Data(try SecretBox(keyText: key).seal(Secret(secret), purpose: TenantSecret.webhookSecret.purpose(tenantID: tenant)))
    }
}
