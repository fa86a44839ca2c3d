import AgentKit
import Foundation
import Postgres
import Testing

/// POST /v1/inbound/email: authentication, both body forms, threading, once per Message-ID,
/// the reply_triage task in the same transaction.
@Suite struct InboundEmailTests {
    static let secret = "inbound_first_0123456789"
    static let reminderID = "reminder-1@first.example"

    /// The first tenant's inbound secret, a customer with a contact, and a reminder sent to it.
    struct Book {
        var customer: Int64
        var contact: Int64
        var reminder: Int64
    }

    static func book(_ client: APIClient, _ fixture: APIFixture) async throws -> Book {
        let key = fixture.firstAdmin
        let settings = try await client.patch("/v1/settings", key: key, #"{"inbound_secret": "\#(secret)"}"#)
        #expect(settings.status == 200, "\(settings.text)")
        let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "B-1", "name": "Buyer", "currency": "EUR"}"#)
        let contact = try await client.create("/v1/contacts", key: key, #"{"customer_id": \#(customer), "email": "ap@buyer.example"}"#)
        let reminder = try await fixture.pool.query("""
            INSERT INTO messages (tenant_id, customer_id, contact_id, direction, message_id, from_address, to_addresses, subject, status)
            VALUES (\(fixture.first.id), \(customer), \(contact), 'outbound', \(reminderID), 'ar@first.example',
                    '{ap@buyer.example}', 'Invoice INV-1 is overdue', 'sent')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        // Reviewed in the future, so the inbound trigger's review is visible.
        try await fixture.pool.query("UPDATE customers SET next_review_at = now() + interval '1 day' WHERE id = \(customer)")
        return Book(customer: customer, contact: contact, reminder: reminder)
    }

    static func reply(from: String = "Anna Pay <ap@buyer.example>", messageID: String? = "reply-1@buyer.example",
                      headers: String = "In-Reply-To: <\(reminderID)>\r\nReferences: <\(reminderID)>\r\n",
                      body: String = "We will pay on Friday.\r\n") -> String {
        "From: \(from)\r\nTo: ar@first.example\r\nSubject: Re: Invoice INV-1 is overdue\r\nDate: Tue, 10 Mar 2026 09:18:00 +0100\r\n"
            + (messageID.map { "Message-ID: <\($0)>\r\n" } ?? "") + headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
    }

    static func post(_ client: APIClient, tenant: String = "first-co", bearer: String? = secret, rfc822: String,
                     headers: [String: String] = [:]) async throws -> APIReply {
        try await client.send(.post, "/v1/inbound/email?tenant=\(tenant)", key: bearer, body: rfc822, contentType: "message/rfc822",
                              headers: headers)
    }

    static func postJSON(_ client: APIClient, tenant: String = "first-co", bearer: String? = secret, _ json: String) async throws -> APIReply {
        try await client.send(.post, "/v1/inbound/email?tenant=\(tenant)", key: bearer, json: json)
    }

    static func count(_ fixture: APIFixture, _ sql: String) async throws -> Int {
        try await fixture.pool.query(PostgresQuery(sql))[0].decode(Int.self, at: 0)
    }

    @Test func aReplyIsThreadedStoredAndHandedToTriage() async throws {
        try await withAPI { client, fixture in
            let book = try await Self.book(client, fixture)
            let text = Self.reply()
            let reply = try await Self.post(client, rfc822: text)
            #expect(reply.status == 202, "\(reply.text)")
            #expect(reply.string("object") == "inbound_message")
            #expect(reply.int("customer_id") == book.customer)
            #expect(reply.string("matched_by") == "in_reply_to")
            let id = try #require(reply.int("id"))
            let taskID = try #require(reply.int("triage_task_id"))

            let message = try await client.get("/v1/messages/\(id)", key: fixture.firstAdmin)
            #expect(message.string("direction") == "inbound")
            #expect(message.string("status") == "received")
            #expect(message.string("message_id") == "reply-1@buyer.example", "stored without angle brackets")
            #expect(message.string("in_reply_to") == Self.reminderID)
            #expect(message.object["references"] as? [String] == [Self.reminderID])
            #expect(message.string("from") == "ap@buyer.example")
            #expect(message.object["to"] as? [String] == ["ar@first.example"])
            #expect(message.string("subject") == "Re: Invoice INV-1 is overdue")
            #expect(message.string("body_text")?.contains("We will pay on Friday.") == true)
            #expect(message.int("contact_id") == book.contact)
            #expect(message.string("received_at") != nil)
            #expect(message.string("sent_at") == "2026-03-10T08:18:00Z", "the message's own Date")
            let raw = try await fixture.pool.query("SELECT raw FROM messages WHERE id = \(id)")[0].decode(Data.self, at: 0)
            #expect(raw == Data(text.utf8), "the bytes as received")

            let task = try await client.get("/v1/tasks/\(taskID)", key: fixture.firstAdmin)
            #expect(task.string("kind") == "reply_triage")
            #expect(task.int("customer_id") == book.customer)
            #expect((task.object["payload"] as? [String: Any])?["message_id"] as? Int64 == id)
            #expect(task.string("dedupe_key") == "reply_triage:\(id)")
            #expect(task.string("state") == "available")

            let due = try await Self.count(fixture, "SELECT count(*) FROM customers WHERE id = \(book.customer) AND next_review_at <= now()")
            #expect(due == 1, "a reply puts its customer up for review")
            let audit = try await client.get("/v1/audit-events?action=message.received", key: fixture.firstAdmin)
            #expect(audit.data.first?["actor"] as? String == "inbound_secret")
        }
    }

    @Test func theSameMessageTwiceIsStoredOnceAndTriagedOnce() async throws {
        try await withAPI { client, fixture in
            _ = try await Self.book(client, fixture)
            let first = try await Self.post(client, rfc822: Self.reply())
            let again = try await Self.post(client, rfc822: Self.reply())
            #expect(first.status == 202)
            #expect(again.status == 200)
            #expect(again.text == first.text, "the stored message, as first answered")
            #expect(try await Self.count(fixture, "SELECT count(*) FROM messages WHERE direction = 'inbound'") == 1)
            #expect(try await Self.count(fixture, "SELECT count(*) FROM tasks WHERE kind = 'reply_triage'") == 1)

            // Our own outbound Message-ID sent back to us (a copy, a BCC): nothing stored, nothing to triage.
            let echo = try await Self.post(client, rfc822: Self.reply(from: "ar@first.example", messageID: Self.reminderID, headers: ""))
            #expect(echo.status == 200)
            #expect(echo.object["triage_task_id"] is NSNull)
            #expect(try await Self.count(fixture, "SELECT count(*) FROM messages") == 2)
        }
    }

    @Test func threadingFallsBackToReferencesThenBounceThenSender() async throws {
        try await withAPI { client, fixture in
            let book = try await Self.book(client, fixture)
            let byReferences = try await Self.post(client, rfc822: Self.reply(
                from: "someone.else@buyer.example", messageID: "r2@buyer.example",
                headers: "In-Reply-To: <unknown@elsewhere.example>\r\nReferences: <\(Self.reminderID)> <unknown@elsewhere.example>\r\n"))
            #expect(byReferences.string("matched_by") == "references")
            #expect(byReferences.int("customer_id") == book.customer)
            let stored = try await client.get("/v1/messages/\(byReferences.int("id")!)", key: fixture.firstAdmin)
            #expect(stored.object["contact_id"] is NSNull, "the sender is not a contact")

            let bySender = try await Self.post(client, rfc822: Self.reply(from: "AP@Buyer.Example", messageID: "r3@buyer.example", headers: ""))
            #expect(bySender.string("matched_by") == "sender")
            #expect(bySender.int("customer_id") == book.customer)

            let stranger = try await Self.post(client, rfc822: Self.reply(from: "who@nowhere.example", messageID: "r4@nowhere.example", headers: ""))
            #expect(stranger.status == 202)
            #expect(stranger.object["matched_by"] is NSNull)
            #expect(stranger.object["customer_id"] is NSNull)
            let task = try await client.get("/v1/tasks/\(stranger.int("triage_task_id")!)", key: fixture.firstAdmin)
            #expect(task.object["customer_id"] is NSNull, "triage still reads it")

            // An address that is a contact of two customers decides nothing.
            let other = try await client.create("/v1/customers", key: fixture.firstAdmin, #"{"external_ref": "B-2", "name": "Sister Co", "currency": "EUR"}"#)
            _ = try await client.create("/v1/contacts", key: fixture.firstAdmin, #"{"customer_id": \#(other), "email": "ap@buyer.example"}"#)
            let shared = try await Self.post(client, rfc822: Self.reply(messageID: "r5@buyer.example", headers: ""))
            #expect(shared.object["customer_id"] is NSNull)
        }
    }

    static func bounce(messageID: String, original: String?) -> String {
        let returned = original.map { "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: ar@first.example\r\nTo: ap@buyer.example\r\nMessage-ID: <\($0)>\r\nSubject: Invoice INV-1 is overdue\r\n\r\n" } ?? ""
        return """
            From: Mail Delivery System <MAILER-DAEMON@mx.first.example>\r
            To: ar@first.example\r
            Subject: Undelivered Mail Returned to Sender\r
            Message-ID: <\(messageID)>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r
            \r
            --B\r
            Content-Type: text/plain\r
            \r
            Your message could not be delivered.\r
            --B\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx.first.example\r
            \r
            Final-Recipient: rfc822; AP@buyer.example\r
            Action: failed\r
            Status: 5.1.1\r
            \r
            \(returned)--B--\r

            """
    }

    @Test func aBounceIsThreadedByItsOriginalOrItsFinalRecipient() async throws {
        try await withAPI { client, fixture in
            let book = try await Self.book(client, fixture)
            let withOriginal = try await Self.post(client, rfc822: Self.bounce(messageID: "dsn-1@mx.first.example", original: Self.reminderID))
            #expect(withOriginal.status == 202, "\(withOriginal.text)")
            #expect(withOriginal.string("matched_by") == "bounce")
            #expect(withOriginal.int("customer_id") == book.customer)
            let stored = try await client.get("/v1/messages/\(withOriginal.int("id")!)", key: fixture.firstAdmin)
            #expect(stored.int("contact_id") == book.contact, "the contact whose mailbox failed")

            let byRecipient = try await Self.post(client, rfc822: Self.bounce(messageID: "dsn-2@mx.first.example", original: nil))
            #expect(byRecipient.string("matched_by") == "bounce")
            #expect(byRecipient.int("customer_id") == book.customer)
        }
    }

    @Test func theJSONFormIsStoredLikeAMessage() async throws {
        try await withAPI { client, fixture in
            let book = try await Self.book(client, fixture)
            let json = """
                {"from": "Anna Pay <ap@buyer.example>", "to": ["ar@first.example"], "cc": ["boss@buyer.example"],
                 "subject": "Re: Invoice INV-1", "text": "Paid yesterday.", "html": "<p>Paid <b>yesterday</b>.</p>",
                 "message_id": "<json-1@buyer.example>", "in_reply_to": "<\(Self.reminderID)>", "references": ["<\(Self.reminderID)>"],
                 "date": "2026-03-10T08:18:00Z"}
                """
            let reply = try await Self.postJSON(client, json)
            #expect(reply.status == 202, "\(reply.text)")
            #expect(reply.string("matched_by") == "in_reply_to")
            #expect(reply.int("customer_id") == book.customer)
            let id = reply.int("id")!
            let message = try await client.get("/v1/messages/\(id)", key: fixture.firstAdmin)
            #expect(message.string("message_id") == "json-1@buyer.example")
            #expect(message.string("from") == "ap@buyer.example")
            #expect(message.object["cc"] as? [String] == ["boss@buyer.example"])
            #expect(message.string("body_text") == "Paid yesterday.")
            #expect(message.string("sent_at") == "2026-03-10T08:18:00Z")
            let row = try await fixture.pool.query("SELECT raw, body_html FROM messages WHERE id = \(id)")[0]
            let raw = String(decoding: try row.decode(Data.self, at: 0), as: UTF8.self)
            #expect(raw.contains("Message-ID: <json-1@buyer.example>"), "rendered as RFC 5322 for the agents")
            #expect(try row.decode(String?.self, at: 1)?.contains("<b>yesterday</b>") == true)
            #expect(try await Self.postJSON(client, json).status == 200)

            // No Message-ID: the SHA-256 of the body stands in, so the same post is recognised.
            let htmlOnly = #"{"from": "ap@buyer.example", "html": "<p>We dispute <b>INV-1</b>.</p>"}"#
            let first = try await Self.postJSON(client, htmlOnly)
            #expect(first.status == 202)
            #expect(first.string("matched_by") == "sender")
            let derived = try await client.get("/v1/messages/\(first.int("id")!)", key: fixture.firstAdmin)
            #expect(derived.string("message_id")?.hasSuffix("@inbound.arrears.invalid") == true)
            #expect(derived.string("body_text")?.contains("We dispute INV-1.") == true)
            #expect(try await Self.postJSON(client, htmlOnly).status == 200)
        }
    }

    @Test func aMessageWithoutAMessageIDIsKnownByItsBytes() async throws {
        try await withAPI { client, fixture in
            _ = try await Self.book(client, fixture)
            let text = Self.reply(messageID: nil)
            let first = try await Self.post(client, rfc822: text)
            #expect(first.status == 202)
            let message = try await client.get("/v1/messages/\(first.int("id")!)", key: fixture.firstAdmin)
            let id = try #require(message.string("message_id"))
            #expect(id.hasSuffix("@inbound.arrears.invalid"))
            #expect(id.count == 64 + "@inbound.arrears.invalid".count)
            #expect(try await Self.post(client, rfc822: text).status == 200)
            #expect(try await Self.post(client, rfc822: text + "P.S. one more thing\r\n").status == 202, "other bytes, another message")
        }
    }

    @Test func everyWayToAuthenticateAndEveryWayToFail() async throws {
        try await withAPI { client, fixture in
            _ = try await Self.book(client, fixture)
            var n = 0
            func message() -> String {
                n += 1
                return Self.reply(messageID: "auth-\(n)@buyer.example")
            }
            let wrong = try await Self.post(client, bearer: "inbound_wrong_0123456789", rfc822: message())
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "unauthenticated")
            #expect(wrong.headers[.wwwAuthenticate] == "Bearer")
            let unknown = try await Self.post(client, tenant: "no-such-tenant", rfc822: message())
            #expect(unknown.status == 401)
            #expect(unknown.text == wrong.text, "an unknown tenant answers exactly as a wrong secret")
            #expect(try await Self.post(client, bearer: nil, rfc822: message()).status == 401)
            #expect(try await Self.post(client, tenant: "second-co", rfc822: message()).status == 401, "one tenant's secret is not another's")
            let noTenant = try await client.send(.post, "/v1/inbound/email", key: Self.secret, body: message(), contentType: "message/rfc822")
            #expect(noTenant.status == 400)
            #expect(noTenant.errorFields == ["tenant"])

            // A signature keyed with the secret, as AgentKit signs its own webhooks.
            let signed = message()
            let now = Int64(Date().timeIntervalSince1970)
            let header = WebhookSignature.header(for: Array(signed.utf8), secret: Secret(Self.secret), timestamp: now)
            let bySignature = try await Self.post(client, bearer: nil, rfc822: signed, headers: ["Arrears-Signature": header])
            #expect(bySignature.status == 202, "\(bySignature.text)")
            let stale = WebhookSignature.header(for: Array(signed.utf8), secret: Secret(Self.secret), timestamp: now - 600)
            #expect(try await Self.post(client, bearer: nil, rfc822: signed, headers: ["Arrears-Signature": stale]).status == 401)
            let otherBody = message()
            #expect(try await Self.post(client, bearer: nil, rfc822: otherBody, headers: ["Arrears-Signature": header]).status == 401,
                    "a signature covers its own body only")

            let byKey = try await Self.post(client, bearer: fixture.firstAdmin, rfc822: message())
            #expect(byKey.status == 202)
            #expect(try await Self.post(client, bearer: fixture.firstReadOnly, rfc822: message()).status == 403)
            #expect(try await Self.post(client, bearer: fixture.secondAdmin, rfc822: message()).status == 401)
            #expect(try await client.get("/v1/audit-events?action=message.received", key: fixture.firstAdmin).data
                .compactMap { $0["actor"] as? String }.contains { $0.hasPrefix("api_key:") })

            _ = try await fixture.store.setTenantStatus(id: fixture.first.id, status: "suspended")
            let suspended = try await Self.post(client, rfc822: message())
            #expect(suspended.status == 403)
            #expect(suspended.errorCode == "tenant_suspended")
            #expect(try await Self.count(fixture, "SELECT count(*) FROM messages WHERE direction = 'inbound'") == 2, "only the two that passed")
        }
    }

    @Test func withoutAnInboundSecretOnlyAdminKeysGetIn() async throws {
        try await withAPI { client, fixture in
            let guessed = try await Self.post(client, bearer: "inbound_anything_0123456789", rfc822: Self.reply())
            #expect(guessed.status == 401)
            #expect(try await Self.post(client, bearer: fixture.firstAdmin, rfc822: Self.reply()).status == 202)
        }
    }

    @Test(arguments: [
        ("message/rfc822", "", 400, "invalid_message"),
        ("message/rfc822", "just some words, no header fields", 400, "invalid_message"),
        ("message/rfc822", "Subject: no sender\r\n\r\nhello\r\n", 400, "invalid_message"),
        ("application/json", #"{"from": "ap@buyer.example", "text": "x""#, 400, "invalid_json"),
        ("application/json", #"{"text": "x"}"#, 400, "invalid_request"),
        ("application/json", #"{"from": "ap@buyer.example"}"#, 400, "invalid_request"),
        ("application/json", #"{"from": "ap@buyer.example", "text": "x", "attachments": []}"#, 400, "invalid_request"),
        ("application/json", #"{"from": "ap@buyer.example", "text": 5}"#, 400, "invalid_request"),
        ("application/json", #"{"from": "ap@buyer.example", "to": "ar@first.example", "text": "x"}"#, 400, "invalid_request"),
        ("application/json", #"{"from": "nobody", "text": "x"}"#, 422, "validation_failed"),
        ("application/json", #"{"from": "ap@buyer.example", "to": ["nobody"], "text": "x"}"#, 422, "validation_failed"),
        ("application/json", #"{"from": "ap@buyer.example", "text": "x", "date": "yesterday"}"#, 422, "validation_failed"),
        ("application/json", #"{"from": "ap@buyer.example", "text": "x", "message_id": "no-at-sign"}"#, 422, "validation_failed"),
        ("application/json", #"{"from": "ap@buyer.example", "text": "a\u0000b"}"#, 422, "validation_failed"),
        ("text/plain", "hello", 415, "unsupported_media_type"),
    ] as [(String, String, Int, String)])
    func badBodiesAreRefusedAndNothingIsWritten(contentType: String, body: String, status: Int, code: String) async throws {
        try await withAPI { client, fixture in
            _ = try await Self.book(client, fixture)
            let reply = try await client.send(.post, "/v1/inbound/email?tenant=first-co", key: Self.secret, body: body, contentType: contentType)
            #expect(reply.status == status, "\(body): \(reply.text)")
            #expect(reply.errorCode == code, "\(body): \(reply.text)")
            #expect(try await Self.count(fixture, "SELECT count(*) FROM messages WHERE direction = 'inbound'") == 0)
            #expect(try await Self.count(fixture, "SELECT count(*) FROM tasks") == 0)
        }
    }

    @Test func NULBytesInAMessageAreDroppedNotFatal() async throws {
        try await withAPI { client, fixture in
            let book = try await Self.book(client, fixture)
            let text = "From: ap\u{0}@buyer.example\r\nSubject: Re: \u{0}invoice\r\nMessage-ID: <nul\u{0}@buyer.example>\r\n"
                + "In-Reply-To: <\(Self.reminderID)>\r\nReferences: <x\u{0}y@z> <\(Self.reminderID)>\r\n\r\nPaid\u{0} today.\r\n"
            let reply = try await Self.post(client, rfc822: text)
            #expect(reply.status == 202, "\(reply.text)")
            #expect(reply.int("customer_id") == book.customer)
            let message = try await client.get("/v1/messages/\(reply.int("id")!)", key: fixture.firstAdmin)
            #expect(message.string("subject") == "Re: invoice")
            #expect(message.string("body_text")?.contains("Paid today.") == true)
            #expect(message.string("message_id")?.hasSuffix("@inbound.arrears.invalid") == true, "an id with NUL is no id")
        }
    }

    @Test func aMessageOverTenMegabytesIs413() async throws {
        try await withAPI { client, fixture in
            _ = try await Self.book(client, fixture)
            let huge = Self.reply(body: String(repeating: "x", count: 10 * 1024 * 1024 + 1))
            let reply = try await Self.post(client, rfc822: huge)
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(try await Self.count(fixture, "SELECT count(*) FROM messages WHERE direction = 'inbound'") == 0)
        }
    }
}
