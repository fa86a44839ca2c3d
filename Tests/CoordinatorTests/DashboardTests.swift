import Foundation
import HTTPTypes
import Testing

/// The dashboard at /ui, through the router: sign-in by key into a cookie, the pages with the
/// tenant's data, nothing without a key or of another tenant, changes for admin keys only.
@Suite struct DashboardTests {
    static func signIn(_ client: APIClient, _ key: String) async throws -> String {
        let reply = try await client.send(.post, "/ui/sign-in", key: nil, body: "key=\(key)", contentType: "application/x-www-form-urlencoded")
        #expect(reply.status == 303)
        let cookie = try #require(reply.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite="))
        return String(cookie.split(separator: ";")[0])
    }

    static func page(_ client: APIClient, _ path: String, cookie: String?) async throws -> APIReply {
        try await client.send(.get, path, key: nil, headers: cookie.map { ["Cookie": $0] } ?? [:])
    }

    @Test func withoutAValidKeyThereIsOnlyTheSignInPage() async throws {
        try await withAPI { client, fixture in
            _ = try await client.create("/v1/customers", key: fixture.firstAdmin, #"{"external_ref": "C-1", "name": "Secret Buyer", "currency": "EUR"}"#)
            for cookie in [nil, "arrears_key=not-a-key"] {
                for path in ["/ui", "/ui/customers/1", "/ui/tasks"] {
                    let reply = try await Self.page(client, path, cookie: cookie)
                    #expect(reply.status == 401, "\(path)")
                    #expect(reply.text.contains("action=\"/ui/sign-in\""))
                    #expect(!reply.text.contains("Secret Buyer"))
                }
            }
            let wrong = try await client.send(.post, "/ui/sign-in", key: nil, body: "key=wrong", contentType: "application/x-www-form-urlencoded")
            #expect(wrong.status == 401)
            #expect(wrong.headers[.setCookie] == nil)
            for (next, landing) in [("/ui/tasks", "/ui/tasks"), ("//evil.example/ui", "/ui"), ("https://evil.example", "/ui")] {
                let reply = try await client.send(.post, "/ui/sign-in", key: nil,
                                                  body: "key=\(fixture.firstAdmin)&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                                                  contentType: "application/x-www-form-urlencoded")
                #expect(reply.headers[.location] == landing, "next=\(next)")
            }
        }
    }

    @Test func theOverviewAndTheCustomerPageShowTheBook() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "Beta <Ltd>", "currency": "EUR"}"#)
            _ = try await client.create("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "INV-77", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 123456, "currency": "EUR"}
                """)
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2 * 86_400)).prefix(10)
            _ = try await client.create("/v1/promises", key: key, #"{"customer_id": \#(customer), "promised_on": "\#(soon)", "note": "after the board meets"}"#)
            try await fixture.pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, to_addresses, subject, body_text, status)
                VALUES (\(fixture.first.id), \(customer), 'outbound', 'm1@first.example', 'ar@first.example', '{ap@beta.example}',
                        'Invoice INV-77 is overdue', 'Dear Beta, INV-77 is open.', 'sent')
                """)
            let cookie = try await Self.signIn(client, key)

            let overview = try await Self.page(client, "/ui", cookie: cookie)
            #expect(overview.status == 200)
            #expect(overview.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(overview.text.contains("<svg"), "charts are drawn on the server")
            #expect(overview.text.contains("EUR 1,234.56"))
            #expect(overview.text.contains("Beta &lt;Ltd&gt;"), "names are escaped")
            #expect(!overview.text.contains("Beta <Ltd>"))
            #expect(overview.text.contains("after the board meets"), "the promise due this week")
            #expect(overview.text.contains("promise.created") || overview.text.contains("invoice.created"), "recent actions from the audit log")
            #expect(overview.text.contains("Queue and workers"))

            let page = try await Self.page(client, "/ui/customers/\(customer)", cookie: cookie)
            #expect(page.status == 200)
            #expect(page.text.contains("INV-77"))
            #expect(page.text.contains("Invoice INV-77 is overdue"), "the mail thread")
            #expect(page.text.contains("Timeline of decisions"))

            // Another tenant's key: the first tenant's customer does not exist.
            let other = try await Self.signIn(client, fixture.secondAdmin)
            let probe = try await Self.page(client, "/ui/customers/\(customer)", cookie: other)
            #expect(probe.status == 404)
            #expect(!probe.text.contains("Beta"))
            #expect(!(try await Self.page(client, "/ui", cookie: other)).text.contains("Beta"))
        }
    }

    @Test func onlyAdminKeysRetryAndCancelTasks() async throws {
        try await withAPI { client, fixture in
            let customer = try await client.create("/v1/customers", key: fixture.firstAdmin, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let tasks = try await TaskEndpointTests.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)

            let reader = try await Self.signIn(client, fixture.firstReadOnly)
            let readOnlyList = try await Self.page(client, "/ui/tasks", cookie: reader)
            #expect(readOnlyList.status == 200)
            #expect(readOnlyList.text.contains("\(tasks.dead)"))
            #expect(!readOnlyList.text.contains("/redrive"), "no buttons for a read-only key")
            let refused = try await client.send(.post, "/ui/tasks/\(tasks.dead)/redrive", key: nil, headers: ["Cookie": reader])
            #expect(refused.status == 403)

            let admin = try await Self.signIn(client, fixture.firstAdmin)
            let list = try await Self.page(client, "/ui/tasks", cookie: admin)
            #expect(list.text.contains("/ui/tasks/\(tasks.dead)/redrive"))
            #expect(list.text.contains("/ui/tasks/\(tasks.waiting)/cancel"))
            let retried = try await client.send(.post, "/ui/tasks/\(tasks.dead)/redrive", key: nil, headers: ["Cookie": admin])
            #expect(retried.status == 303)
            #expect(try await client.get("/v1/tasks/\(tasks.dead)", key: fixture.firstAdmin).string("state") == "available")
            let cancelled = try await client.send(.post, "/ui/tasks/\(tasks.waiting)/cancel", key: nil, headers: ["Cookie": admin])
            #expect(cancelled.status == 303)
            #expect(try await client.get("/v1/tasks/\(tasks.waiting)", key: fixture.firstAdmin).string("state") == "cancelled")

            // Another tenant's tasks are not there, as in the API: 404, and nothing changes.
            let otherTenant = try await Self.signIn(client, fixture.secondAdmin)
            for (task, action) in [(tasks.dead, "cancel"), (tasks.dead, "redrive"), (tasks.running, "cancel"), (tasks.running, "redrive")] {
                let foreign = try await client.send(.post, "/ui/tasks/\(task)/\(action)", key: nil, headers: ["Cookie": otherTenant])
                #expect(foreign.status == 404, "\(action) of task \(task)")
                #expect(foreign.text.contains("There is no task \(task)."))
            }
            let running = try await client.get("/v1/tasks/\(tasks.running)", key: fixture.firstAdmin)
            #expect(running.string("state") == "running")
            #expect(running.object["cancel_requested"] as? Bool == false)
            #expect(try await client.get("/v1/tasks/\(tasks.dead)", key: fixture.firstAdmin).string("state") == "available")
        }
    }
}
