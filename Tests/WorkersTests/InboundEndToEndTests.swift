import Curl
import Foundation
import Mail
import Postgres
import Testing
import TestSupport

/// The whole path of a reply, through real processes: a reminder a worker sent, the customer's
/// answer posted to a running coordinator's inbound endpoint, and a worker's triage.
@Suite("Inbound reply, end to end", .timeLimit(.minutes(3)))
struct InboundEndToEndTests {
    @Test("a reply posted to `arrears serve` is threaded to the reminder it answers and its promise recorded on that customer only")
    func replyThroughTheInboundEndpoint() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        try await withTestDatabase { pool, database in
            let book = try await AgentBook.create(pool, database, sink: sink)
            let alpha = try await book.customer("A-1", name: "Alpha GmbH", contacts: [("ap@alpha.example", "accounts_payable")])
            let beta = try await book.customer("B-1", name: "Beta Ltd", contacts: [("ap@beta.example", "accounts_payable")])
            let worker = try await book.worker()
            defer { worker.child.stop() }
            for (customer, number) in [(alpha, "INV-A1"), (beta, "INV-B1")] {
                let invoice = try await book.invoice(customer, number, daysOverdue: 20, eur: "800.00")
                let task = try await book.enqueue("outreach", customer: customer, payload: OutreachTests().outreach([invoice]))
                #expect(try await book.finished(task).state == .succeeded)
            }
            let reminder = try #require(try book.mails().first { $0.to.map(\.address) == ["ap@alpha.example"] })
            let reminderID = try #require(reminder.messageID)

            let coordinator = try await book.coordinator()
            defer { coordinator.process.stop() }
            let due = book.today.adding(days: 9)
            let reply = """
                From: Pat Doe <ap@alpha.example>
                To: \(AgentBook.sender)
                Subject: Re: \(reminder.subject ?? "")
                Message-ID: <reply-1@alpha.example>
                In-Reply-To: <\(reminderID)>
                References: <\(reminderID)>
                Date: \(MailDate.format(Date()))
                Content-Type: text/plain; charset=utf-8

                Hello, we will pay INV-A1 on \(due). Sorry for the delay.
                Pat

                """.replacingOccurrences(of: "\n", with: "\r\n")
            let response = try await CurlClient.shared.perform(HTTPRequest(
                method: .post, url: "\(coordinator.base)/v1/inbound/email?tenant=acme",
                headers: [HTTPHeader("Authorization", "Bearer \(try await book.adminKey())"), HTTPHeader("Content-Type", "message/rfc822")],
                body: Array(reply.utf8), policy: .privateAddressesAllowed))
            #expect(response.status == 202, "\(String(decoding: response.body, as: UTF8.self))")
            let stored = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect((stored["customer_id"] as? NSNumber)?.int64Value == alpha)
            #expect(stored["matched_by"] as? String == "in_reply_to")
            let message = try #require((stored["id"] as? NSNumber)?.int64Value)
            let triage = try #require((stored["triage_task_id"] as? NSNumber)?.int64Value)

            #expect(try await book.finished(triage).state == .succeeded)
            #expect(try await book.text("SELECT classification FROM messages WHERE id = \(message)") == "promise_to_pay")
            let promises = try await pool.query("SELECT customer_id, promised_on, source_message_id FROM promises")
            try #require(promises.count == 1)
            let (customer, promisedOn, source) = try promises[0].decode((Int64, PostgresDate, Int64?).self)
            #expect(customer == alpha && source == message)
            #expect(promisedOn.daysSinceUnixEpoch == Int64(due.daysSinceEpoch))
            #expect(try await book.auditActions(alpha).contains("reply_triaged"))
            // The other customer, reminded alike, is untouched by the reply.
            #expect(try await book.count("SELECT count(*) FROM messages WHERE customer_id = \(beta) AND direction = 'inbound'") == 0)
            #expect(!(try await book.auditActions(beta)).contains("reply_triaged"))
        }
    }
}
