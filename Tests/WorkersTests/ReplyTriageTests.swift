import Dunning
import Foundation
import Mail
import Postgres
import Store
import Testing
import TestSupport

@Suite("Reply triage and contact discovery agents", .timeLimit(.minutes(3)))
struct ReplyTriageTests {
    func reply(_ body: String, subject: String = "Re: Payment reminder", from: String = "Pat Doe <ap@customer.example>",
               inReplyTo: String = "reminder-1@acme.example", id: String = UUID().uuidString) -> String {
        """
        From: \(from)
        To: ar@acme.example
        Subject: \(subject)
        Message-ID: <\(id)@customer.example>
        In-Reply-To: <\(inReplyTo)>
        References: <\(inReplyTo)>
        Date: \(MailDate.format(Date()))
        Content-Type: text/plain; charset=utf-8

        \(body)
        """
    }

    func date(_ day: CalendarDate) -> String { day.description }

    @Test("a promise to pay is recorded with its date and amount; the reply resets the silence count")
    func promiseToPay() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-1")
            try await book.invoice(customer, "INV-1", daysOverdue: 20, eur: "800.00")
            try await pool.query("UPDATE customers SET reminders_without_reply = 3 WHERE id = \(customer)")
            let due = book.today.adding(days: 9)
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (message, task) = try await book.receive(reply("""
                Hello, we will pay the 800.00 EUR for INV-1 on \(due). Sorry for the delay.
                Pat
                """), customer: customer)
            #expect(try await book.finished(task).state == .succeeded)

            #expect(try await book.text("SELECT classification FROM messages WHERE id = \(message)") == "promise_to_pay")
            let promise = try await pool.query("""
                SELECT promised_on, amount, currency, status, source_message_id FROM promises WHERE customer_id = \(customer)
                """)
            try #require(promise.count == 1)
            let (promisedOn, amount, currency, status, source) = try promise[0].decode((PostgresDate, Int64?, String?, String, Int64?).self)
            #expect(promisedOn.daysSinceUnixEpoch == Int64(due.daysSinceEpoch))
            #expect(amount == 80_000 && currency == "EUR" && status == "active" && source == message)
            #expect(try await book.count("SELECT reminders_without_reply FROM customers WHERE id = \(customer)") == 0)
            #expect(try await book.auditActions(customer).contains("reply_triaged"))
        }
    }

    @Test("a dispute without invoice numbers covers what the reminder it answers asked for")
    func disputeOfTheRemindedInvoices() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-2")
            let reminded = try await book.invoice(customer, "INV-10", daysOverdue: 20, eur: "300.00")
            let other = try await book.invoice(customer, "INV-11", daysOverdue: 3, eur: "50.00")
            try await pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, subject, status, stage, invoice_ids)
                VALUES (\(book.tenantID), \(customer), 'outbound', 'reminder-1@acme.example', 'ar@acme.example', 'Payment reminder',
                        'sent', 'firm', \([reminded]))
                """)
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (_, task) = try await book.receive(reply("""
                We do not accept this charge: the goods arrived damaged and we returned them. We will not pay it.
                """), customer: customer)
            #expect(try await book.finished(task).state == .succeeded)
            let disputed = try await pool.query("SELECT invoice_ids FROM disputes WHERE customer_id = \(customer)")
            #expect(try disputed.map { try $0.decode([Int64].self, at: 0) } == [[reminded]])
            #expect(try await book.text("SELECT status FROM invoices WHERE id = \(reminded)") == "disputed")
            #expect(try await book.text("SELECT status FROM invoices WHERE id = \(other)") == "open")
        }
    }

    @Test("an out-of-office reply pauses outreach until the return date")
    func outOfOffice() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-3")
            let back = book.today.adding(days: 12)
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (_, task) = try await book.receive(reply("""
                I am out of the office until \(back) with limited access to email.
                """, subject: "Automatic reply: Payment reminder"), customer: customer)
            #expect(try await book.finished(task).state == .succeeded)
            let paused = try await pool.query("SELECT paused_until FROM customers WHERE id = \(customer)")[0]
                .decode(PostgresDate?.self, at: 0)
            #expect(paused?.daysSinceUnixEpoch == Int64(back.daysSinceEpoch))
        }
    }

    @Test("a hard bounce retires the address, and contact discovery makes the customer's other contact primary")
    func bounceThenDiscovery() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-4", contacts: [("old@customer.example", "accounts_payable"),
                                                                     ("finance@customer.example", "finance")])
            try await pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, to_addresses, subject, status, stage)
                VALUES (\(book.tenantID), \(customer), 'outbound', 'reminder-9@acme.example', 'ar@acme.example',
                        '{old@customer.example}', 'Payment reminder', 'sent', 'firm')
                """)
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (_, task) = try await book.receive("""
                From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>
                To: ar@acme.example
                Subject: Undelivered Mail Returned to Sender
                Message-ID: <bounce-1@mx.customer.example>
                Date: \(MailDate.format(Date()))
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                This is the mail system. Your message could not be delivered.

                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.customer.example

                Final-Recipient: rfc822; old@customer.example
                Action: failed
                Status: 5.1.1
                Diagnostic-Code: smtp; 550 5.1.1 user unknown

                --b1
                Content-Type: text/rfc822-headers

                Message-ID: <reminder-9@acme.example>
                Subject: Payment reminder

                --b1--
                """, customer: customer)
            #expect(try await book.finished(task).state == .succeeded)

            #expect(try await book.text("SELECT status FROM contacts WHERE email = 'old@customer.example'") == "bounced")
            #expect(try await book.count("SELECT count(*) FROM suppressions WHERE email = 'old@customer.example' AND reason = 'hard_bounce'") == 1)
            #expect(try await book.text("SELECT status FROM messages WHERE message_id = 'reminder-9@acme.example'") == "bounced")
            let discovery = try #require(try await pool.query("""
                SELECT id FROM tasks WHERE kind = 'contact_discovery' UNION SELECT id FROM running_tasks WHERE kind = 'contact_discovery'
                UNION SELECT id FROM task_history WHERE kind = 'contact_discovery'
                """).first).decode(Int64.self, at: 0)
            #expect(try await book.finished(discovery).state == .succeeded)
            #expect(try await book.text("SELECT email FROM contacts WHERE customer_id = \(customer) AND is_primary") == "finance@customer.example")
            let reasons = try await book.auditReasons(customer, action: "contact_discovered")
            #expect(reasons.contains { $0.contains("finance@customer.example") && $0.contains("already a contact") })
        }
    }

    @Test("'please write to my colleague' makes the colleague the primary contact, or only proposes them when the policy asks for approval")
    func contactChange() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        for (autoApply, expectedPrimary) in [(true, "jane.roe@customer.example"), (false, "ap@customer.example")] {
            try await withTestDatabase { pool, database in
                let book = try await AgentBook.create(pool, database, sink: sink,
                                                      policy: #"{"contact_discovery": {"auto_apply": \#(autoApply)}}"#)
                let customer = try await book.customer("C-5")
                let worker = try await book.worker()
                defer { worker.child.stop() }
                let (_, task) = try await book.receive(reply("""
                    I no longer handle invoices here. Please write to my colleague Jane Roe, jane.roe@customer.example, from now on.
                    """), customer: customer)
                #expect(try await book.finished(task).state == .succeeded)
                #expect(try await book.text("SELECT email FROM contacts WHERE customer_id = \(customer) AND is_primary") == expectedPrimary)
                #expect(try await book.text("SELECT source FROM contacts WHERE email = 'jane.roe@customer.example'") == "discovered")
                #expect(try await book.text("SELECT status FROM contacts WHERE email = 'jane.roe@customer.example'")
                        == (autoApply ? "unverified" : "proposed"))
                if !autoApply { try await approvalComesFirst(book, customer: customer, proposed: "jane.roe@customer.example") }
            }
        }
    }

    /// A proposed address gets no mail, not even once the customer's only other address bounced;
    /// approved, it is reachable, the customer is reviewed at once, and the next reminder goes to it.
    func approvalComesFirst(_ book: AgentBook, customer: Int64, proposed email: String) async throws {
        try await book.pool.query("UPDATE contacts SET status = 'bounced' WHERE customer_id = \(customer) AND email <> \(email)")
        let invoice = try await book.invoice(customer, "INV-50", daysOverdue: 20, eur: "700.00")
        let unsent = try await book.enqueue("outreach", customer: customer, payload: OutreachTests().outreach([invoice]))
        #expect(try await book.finished(unsent).state == .succeeded)
        #expect(try book.mails().isEmpty, "nothing goes to an address nobody approved")
        #expect(try await book.auditReasons(customer, action: "reminder_skipped").contains { $0.contains("no address") })
        // The search that follows finds the same colleague and can only propose them again.
        let discovery = try #require(try await book.pool.query("""
            SELECT id FROM tasks WHERE kind = 'contact_discovery' UNION SELECT id FROM running_tasks WHERE kind = 'contact_discovery'
            UNION SELECT id FROM task_history WHERE kind = 'contact_discovery'
            """).first).decode(Int64.self, at: 0)
        #expect(try await book.finished(discovery).state == .succeeded)
        #expect(try await book.text("SELECT status FROM contacts WHERE email = \(email)") == "proposed")
        #expect(try book.mails().isEmpty)

        try await book.pool.query("UPDATE customers SET next_review_at = 'infinity' WHERE id = \(customer)")
        let id = try #require(try await book.pool.query("SELECT id FROM contacts WHERE email = \(email)").first?.decode(Int64.self, at: 0))
        let outcome = try await Store(pool: book.pool).withTenant(book.tenantID, actor: "test") { tenant in
            try await tenant.decideProposedContact(id: id, .approve(makePrimary: false))
        }
        guard case .decided(let approved) = outcome else { Issue.record("not approved: \(outcome)"); return }
        #expect(approved.status == "unverified")
        #expect(try await book.count("SELECT count(*) FROM customers WHERE id = \(customer) AND next_review_at <= now()") == 1,
                "the customer is up for review at once")

        let sent = try await book.enqueue("outreach", customer: customer, payload: OutreachTests().outreach([invoice]))
        #expect(try await book.finished(sent).state == .succeeded)
        #expect(try book.mails().map { $0.to.map(\.address) } == [[email]])
    }

    @Test("with nobody else to ask, contact discovery takes the address the tenant's CRM lists")
    func crmLookup() async throws {
        let sink = try await SMTPSink()
        let crm = try await EchoServer()
        defer { sink.stop(); crm.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-8")
            try await pool.query("UPDATE contacts SET status = 'bounced' WHERE customer_id = \(customer)")
            try await pool.query("""
                UPDATE tenant_settings SET crm_lookup_url = \(crm.jsonURL(#"{"contacts": [{"email": "new.ap@customer.example", "name": "Sam Lee", "role": "Accounts Payable"}]}"#))
                """)
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let task = try await book.enqueue("contact_discovery", customer: customer, payload: #"{"reasons": ["mail bounced"]}"#)
            #expect(try await book.finished(task).state == .succeeded)
            let primary = try await pool.query("SELECT email, name, role, source FROM contacts WHERE customer_id = \(customer) AND is_primary")
            #expect(try primary.map { try $0.decode((String, String, String, String).self) }.first
                .map { [$0.0, $0.1, $0.2, $0.3] } == ["new.ap@customer.example", "Sam Lee", "accounts_payable", "discovered"])
            #expect(try await book.auditReasons(customer, action: "contact_discovered").contains { $0.contains("CRM") })
        }
    }

    @Test("an opt-out is honoured: the address is suppressed and marked opted out")
    func unsubscribe() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-6")
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (_, task) = try await book.receive(reply("STOP. Unsubscribe me from these emails."), customer: customer)
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try await book.text("SELECT status FROM contacts WHERE email = 'ap@customer.example'") == "opted_out")
            #expect(try await book.count("SELECT count(*) FROM suppressions WHERE reason = 'opt_out'") == 1)
        }
    }

    @Test("a question goes to a person: outreach pauses and the account owner is told")
    func question() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let customer = try await book.customer("C-7", owner: "owner@acme.example")
            try await book.invoice(customer, "INV-70", daysOverdue: 12, eur: "410.00")
            let worker = try await book.worker()
            defer { worker.child.stop() }
            let (_, task) = try await book.receive(reply("Could you send me a copy of the invoice INV-70? I cannot find it."),
                                                   customer: customer)
            #expect(try await book.finished(task).state == .succeeded)
            #expect(try await book.text("SELECT classification FROM messages WHERE direction = 'inbound'") == "question")
            let paused = try await pool.query("SELECT paused_until FROM customers WHERE id = \(customer)")[0].decode(PostgresDate?.self, at: 0)
            #expect(paused != nil)
            try await eventually("the owner is told") {
                try book.mails().contains { $0.to.map(\.address) == ["owner@acme.example"] }
            }
        }
    }
}
