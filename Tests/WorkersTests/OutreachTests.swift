import Foundation
import Mail
import Postgres
import Testing
import TestSupport

@Suite("Outreach agent", .timeLimit(.minutes(3)))
struct OutreachTests {
    func outreach(_ invoiceIDs: [Int64], stage: String = "firm", tone: String = "firm") -> String {
        #"{"stage": "\#(stage)", "tone": "\#(tone)", "invoice_ids": [\#(invoiceIDs.map(String.init).joined(separator: ","))], "opt_out_line_required": false, "escalation_level": 0}"#
    }

    @Test("a reminder names each invoice, answers the thread, and is recorded as sent with the audit's reasons")
    func remindsInTheThread() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-1", name: "Globex Ltd")
            let first = try await book.invoice(customer, "INV-1001", daysOverdue: 20, eur: "1200.00")
            let second = try await book.invoice(customer, "INV-1002", daysOverdue: 5, eur: "345.50")
            try await book.invoice(customer, "INV-1003", daysOverdue: 40, eur: "99.00")  // not in this reminder
            try await book.sentReminder(customer, messageID: "earlier-1@acme.example", subject: "Invoice INV-0999")
            let worker = try await book.worker()
            defer { worker.child.stop() }

            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([first, second]))
            #expect(try await book.finished(task).state == .succeeded)

            let mails = try book.mails()
            try #require(mails.count == 1)
            let mail = mails[0]
            #expect(mail.to.map(\.address) == ["ap@customer.example"])
            #expect(mail.from.first?.address == AgentBook.sender)
            #expect(mail.subject == "Re: Invoice INV-0999")
            #expect(mail.inReplyTo == ["earlier-1@acme.example"])
            #expect(mail.text.contains("INV-1001") && mail.text.contains("INV-1002") && !mail.text.contains("INV-1003"))
            #expect(mail.text.contains("1,200.00") && mail.text.contains("345.50"))
            #expect(mail.text.contains("20 days overdue"))

            let stored = try await book.text("SELECT status FROM messages WHERE direction = 'outbound' AND message_id = \(mail.messageID ?? "")")
            #expect(stored == "sent")
            let reasons = try await book.auditReasons(customer, action: "reminder_sent")
            #expect(reasons.first == "sent a firm firm reminder for INV-1001, INV-1002 to ap@customer.example")
        }
    }

    @Test("German customers get German reminders")
    func writesInTheCustomersLanguage() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-2", name: "Müller & Söhne KG", language: "de")
            let invoice = try await book.invoice(customer, "RE-2025-17", daysOverdue: 10, eur: "2500.00")
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([invoice], stage: "reminder", tone: "friendly"))
            #expect(try await book.finished(task).state == .succeeded)
            let mail = try #require(try book.mails().first)
            #expect(mail.text.contains("2.500,00"))
            #expect(mail.text.contains("RE-2025-17"))
            #expect(mail.text.contains("Müller & Söhne KG") || mail.text.contains("Guten Tag"))
        }
    }

    @Test("an invoice paid since the decision is not chased; with nothing left, nothing is sent")
    func rereadsTheBookBeforeSending() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-3")
            let invoice = try await book.invoice(customer, "INV-7", daysOverdue: 15, eur: "500.00")
            try await book.pay(customer, invoice: invoice, eur: "500.00")
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([invoice]))
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try book.mails().isEmpty)
            #expect(try await book.auditActions(customer).contains("reminder_skipped"))
        }
    }

    @Test("with every address bounced, no mail goes out and contact discovery is queued instead")
    func noAddressMeansDiscovery() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-4")
            try await pool.query("UPDATE contacts SET status = 'bounced' WHERE customer_id = \(customer)")
            let invoice = try await book.invoice(customer, "INV-8", daysOverdue: 15, eur: "500.00")
            let worker = try await book.worker(["--kinds", "outreach"])
            defer { worker.child.stop() }
            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([invoice]))
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try book.mails().isEmpty)
            #expect(try await book.count("SELECT count(*) FROM tasks WHERE kind = 'contact_discovery' AND customer_id = \(customer)") == 1)
        }
    }

    @Test("a worker killed while the mail server holds the message: the retry does not send a second copy")
    func killedMidSend() async throws {
        let sink = try await SMTPSink(delayData: 20)
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-5")
            let invoice = try await book.invoice(customer, "INV-9", daysOverdue: 15, eur: "750.00")
            let doomed = try await book.worker(["--lease", "6s"])
            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([invoice]))
            // The server has the message but holds back its answer: the sender cannot know it arrived.
            try await eventually("the mail server received the message") { try sink.messages().count == 1 }
            #expect(try await book.count("SELECT count(*) FROM messages WHERE status = 'sending'") == 1)
            doomed.child.signal(SIGKILL)
            _ = await doomed.child.exitStatus()

            let second = try await book.worker(["--lease", "6s"])
            defer { second.child.stop() }
            #expect(try await book.finished(task).state == .succeeded)
            // The first attempt's message is the only copy.
            try await Task.sleep(for: .seconds(4))
            let ids = try book.mails().compactMap(\.messageID)
            #expect(ids.count == 1)
            #expect(try await book.text("SELECT status FROM messages WHERE direction = 'outbound'") == "unconfirmed")
            #expect(try await book.auditActions(customer).contains("reminder_unconfirmed"))
        }
    }
    @Test("killed mid-send, then the invoice is paid: the retry sends nothing and the mail is not left recorded as sending")
    func killedMidSendThenNotNeeded() async throws {
        let sink = try await SMTPSink(delayData: 20)
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-6")
            let invoice = try await book.invoice(customer, "INV-10", daysOverdue: 15, eur: "250.00")
            let doomed = try await book.worker(["--lease", "6s"])
            let task = try await book.enqueue("outreach", customer: customer, payload: outreach([invoice]))
            try await eventually("the mail server received the message") { try sink.messages().count == 1 }
            doomed.child.signal(SIGKILL)
            _ = await doomed.child.exitStatus()
            try await book.pay(customer, invoice: invoice, eur: "250.00")

            let second = try await book.worker(["--lease", "6s"])
            defer { second.child.stop() }
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try book.mails().count == 1)
            #expect(try await book.text("SELECT status FROM messages WHERE direction = 'outbound'") == "unconfirmed")
            #expect(try await book.auditActions(customer).contains("reminder_skipped"))
        }
    }
}
