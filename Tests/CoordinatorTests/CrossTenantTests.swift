import Foundation
import HTTPTypes
import Postgres
import Testing

/// A second tenant probes every operation of the spec with the first tenant's ids, references
/// and filters: it gets 404s and empty lists, never the first tenant's data, and changes none of it.
@Suite struct CrossTenantTests {
    static let marker = "Marker-First"

    @Test func anotherTenantsObjectsDoNotExist() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key,
                                                   #"{"external_ref": "C-1", "name": "\#(Self.marker) Ltd", "currency": "EUR"}"#)
            let contact = try await client.create("/v1/contacts", key: key,
                                                  #"{"customer_id": \#(customer), "email": "ap@first.example", "name": "\#(Self.marker) AP"}"#)
            let invoice = try await client.create("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "A", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 10000, "currency": "EUR"}
                """)
            let payment = try await client.create("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 100, "currency": "EUR", "received_on": "2025-02-01", "reference": "BANK-1"}
                """)
            let promise = try await client.create("/v1/promises", key: key,
                                                  #"{"customer_id": \#(customer), "promised_on": "2025-03-01", "note": "\#(Self.marker)"}"#)
            let dispute = try await client.create("/v1/disputes", key: key,
                                                  #"{"customer_id": \#(customer), "invoice_ids": [\#(invoice)], "reason": "\#(Self.marker)"}"#)
            #expect(try await client.put("/v1/policy", key: key, #"{"review_interval_days": 2}"#).status == 200)
            let message = try await fixture.pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, subject, status)
                VALUES (\(fixture.first.id), \(customer), 'outbound', '<first@x>', 'ar@first.example', \(Self.marker), 'sent') RETURNING id
                """)[0].decode(Int64.self, at: 0)
            let escalation = try await fixture.pool.query("""
                INSERT INTO escalations (tenant_id, customer_id, from_level, level, reasons)
                VALUES (\(fixture.first.id), \(customer), 0, 1, \([Self.marker])) RETURNING id
                """)[0].decode(Int64.self, at: 0)
            #expect(try await client.patch("/v1/settings", key: key, #"{"signature": "\#(Self.marker)", "sender_email": "ar@first.example"}"#).status == 200)
            let task = try await TaskEndpointTests.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            let before = try await Self.snapshot(fixture)

            let values: [String: String] = [
                "customer_id": "\(customer)", "contact_id": "\(contact)", "invoice_id": "\(invoice)", "payment_id": "\(payment)",
                "promise_id": "\(promise)", "dispute_id": "\(dispute)", "message_id": "\(message)", "escalation_id": "\(escalation)",
                "task_id": "\(task.dead)",
                "external_ref": "C-1", "number": "A", "reference": "BANK-1", "email": "ap@first.example", "kind": "invoices",
            ]
            let bodies: [String: String] = [
                "/v1/contacts": #"{"customer_id": \#(customer), "email": "x@second.example"}"#,
                "/v1/invoices": """
                    {"customer_id": \(customer), "number": "Z", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 1, "currency": "EUR"}
                    """,
                "/v1/invoices/by-ref/{number}": """
                    {"customer_id": \(customer), "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 1, "currency": "EUR"}
                    """,
                "/v1/payments": #"{"customer_id": \#(customer), "amount": 1, "currency": "EUR", "received_on": "2025-02-01"}"#,
                "/v1/payments/by-ref/{reference}": #"{"customer_id": \#(customer), "amount": 1, "currency": "EUR", "received_on": "2025-02-01"}"#,
                "/v1/promises": #"{"customer_id": \#(customer), "promised_on": "2025-03-01"}"#,
                "/v1/disputes": #"{"customer_id": \#(customer), "invoice_ids": [\#(invoice)]}"#,
                "/v1/customers/by-ref/{external_ref}": #"{"name": "Second's own", "currency": "EUR"}"#,
                "/v1/policy": #"{"review_interval_days": 5}"#,
                "/v1/settings": #"{"sender_name": "Second's own"}"#,
                "/v1/customers": #"{"external_ref": "C-2", "name": "Second's own", "currency": "EUR"}"#,
                "/v1/escalations/{escalation_id}": #"{"status": "closed"}"#,
                "/v1/disputes/{dispute_id}": #"{"status": "resolved"}"#,
                "/v1/promises/{promise_id}": #"{"status": "broken"}"#,
                "/v1/payments/{payment_id}": #"{"reference": "TAKEN"}"#,
                "/v1/invoices/{invoice_id}": #"{"open_amount": 0}"#,
                "/v1/contacts/{contact_id}/approve": #"{"is_primary": true}"#,
            ]
            // Writes that create the second tenant's own object (a natural key is per tenant).
            let ownWrites: Set<String> = ["POST /v1/customers", "PUT /v1/customers/by-ref/{external_ref}", "PUT /v1/customers/by-ref/{external_ref}/contacts/{email}",
                                          "PUT /v1/policy", "POST /v1/imports/{kind}", "PATCH /v1/settings"]

            var probed = 0
            for operation in try SpecConformanceTests.specOperations() {
                let parts = operation.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(rawValue: String(parts[0]))!
                let template = String(parts[1])
                guard template.hasPrefix("/v1/"), !template.hasPrefix("/v1/tenants") else { continue }
                var path = template
                for (name, value) in values {
                    path = path.replacingOccurrences(of: "{\(name)}", with: value)
                }
                var reply: APIReply
                switch method {
                case .get:
                    let filter = template.contains("{") || template.hasPrefix("/v1/reports") || ["/v1/policy", "/v1/settings"].contains(template)
                        ? "" : template == "/v1/customers" ? "?external_ref=C-1" : "?customer_id=\(customer)"
                    reply = try await client.get(path + filter, key: fixture.secondAdmin)
                case .post where template == "/v1/inbound/email":
                    // Another tenant's admin key names no mailbox of the first tenant's.
                    reply = try await client.send(.post, path + "?tenant=\(fixture.first.slug)", key: fixture.secondAdmin,
                                                  json: #"{"from": "ap@first.example", "text": "hijack"}"#)
                case .post where template == "/v1/imports/{kind}":
                    reply = try await client.send(.post, path, key: fixture.secondAdmin,
                                                  body: "customer_ref,number,issued_on,due_on,amount,currency\nC-1,A,2025-01-01,2025-01-31,1.00,EUR\n",
                                                  contentType: "text/csv")
                default:
                    reply = try await client.send(method, path, key: fixture.secondAdmin,
                                                  json: bodies[template] ?? #"{"name": "hijack"}"#)
                }
                probed += 1
                #expect(!reply.text.contains(Self.marker), "\(operation) showed the first tenant's data: \(reply.text)")
                #expect(reply.status != 403, "\(operation): another tenant's ids are 404, never 403")
                if template == "/v1/inbound/email" {
                    #expect(reply.status == 401, "\(operation) answered \(reply.status): \(reply.text)")
                } else if method == .get && !template.contains("{") {
                    #expect(reply.status == 200, "\(operation): \(reply.text)")
                    #expect(reply.data.isEmpty, "\(operation) listed the first tenant's objects")
                } else if ownWrites.contains(operation) {
                    #expect([200, 201, 422].contains(reply.status), "\(operation): \(reply.text)")
                } else {
                    #expect(reply.status == 404, "\(operation) answered \(reply.status): \(reply.text)")
                }
            }
            #expect(probed >= 40)
            // Every state of the first tenant's tasks, not only the dead one the loop used.
            for id in [task.waiting, task.scheduled, task.running] {
                #expect(try await client.get("/v1/tasks/\(id)", key: fixture.secondAdmin).status == 404)
                #expect(try await client.post("/v1/tasks/\(id)/cancel", key: fixture.secondAdmin, "").status == 404)
                #expect(try await client.post("/v1/tasks/\(id)/redrive", key: fixture.secondAdmin, "").status == 404)
            }

            // Reports and the policy are the second tenant's own.
            let aging = try await client.get("/v1/reports/aging", key: fixture.secondAdmin)
            #expect((aging.object["currencies"] as? [Any])?.isEmpty == true)
            #expect(try await client.get("/v1/audit-events", key: fixture.secondAdmin).data.allSatisfy {
                ($0["customer_id"] as? NSNumber)?.int64Value != customer
            })
            #expect(try await Self.snapshot(fixture) == before, "the first tenant's rows are unchanged")
        }
    }

    /// Every row of the first tenant's book, as text.
    static func snapshot(_ fixture: APIFixture) async throws -> [String] {
        var tables: [String] = []
        for table in ["customers", "contacts", "invoices", "payments", "payment_allocations", "promises", "disputes", "messages",
                      "escalations", "policies", "tenant_settings", "tasks", "running_tasks", "task_history"] {
            let rows = try await fixture.pool.query("""
                SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM \(unescaped: table) t WHERE tenant_id = \(fixture.first.id)
                """)
            tables.append(try rows[0].decode(String.self, at: 0))
        }
        return tables
    }
}
