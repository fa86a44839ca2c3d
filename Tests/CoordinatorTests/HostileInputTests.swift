import Foundation
import HTTPTypes
import Testing

/// Broken and hostile input through the API: a clear 4xx with an error object, nothing half
/// written, the server still serving; and text that looks like SQL stored as the text it is.
@Suite struct HostileInputTests {
    static let customersHeader = "external_ref,name,currency,timezone,language,account_owner_email\n"
    static let goodRow = "C-1,Good Row Ltd,EUR,,,\n"

    /// CSV files that must be refused whole, with the words the refusal should contain. Each
    /// starts with a good row, so a partial import would show.
    static let brokenFiles: [(name: String, bytes: [UInt8], reason: String)] = {
        let start = Array((customersHeader + goodRow).utf8)
        var utf16 = [UInt8]([0xFF, 0xFE])
        for unit in (customersHeader + goodRow).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        return [
            ("Latin-1 bytes", start + Array("C-2,M".utf8) + [0xFC] + Array("ller GmbH,EUR,,,\n".utf8), "not UTF-8"),
            ("UTF-16 with a byte order mark", utf16, "not UTF-8"),
            ("a truncated UTF-8 sequence", start + Array("C-2,Caf".utf8) + [0xC3], "not UTF-8"),
            ("a 100 kB field", start + Array("C-2,\(String(repeating: "x", count: 100_000)),EUR,,,\n".utf8), "longer than"),
            ("too few columns", start + Array("C-2,Short Row\n".utf8), "has 2 fields"),
            ("too many columns", start + Array("C-2,Long Row,EUR,,,,,extra\n".utf8), "has 8 fields"),
            ("an unclosed quote", start + Array("C-2,\"Open Quote,EUR,,,\n".utf8), "never closed"),
            ("a bare carriage return", start + Array("C-2,Old Mac\rC-3,x,EUR,,,\n".utf8), "carriage return"),
            ("a quote inside a field", start + Array("C-2,Say \"hi\",EUR,,,\n".utf8), "quote"),
            ("random bytes", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }, ""),
            ("an empty file", [], "empty"),
            ("a header of another kind", Array("customer_ref,number,amount\nC-1,A,1\n".utf8), "unknown column"),
        ]
    }()

    @Test func brokenCSVFilesAreRefusedWholeAndTheServerKeepsServing() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            for file in Self.brokenFiles {
                let reply = try await client.send(.post, "/v1/imports/customers", key: key, bytes: file.bytes, contentType: "text/csv")
                #expect(reply.status == 422, "\(file.name): \(reply.status) \(reply.text.prefix(300))")
                #expect(reply.errorCode == "import_rejected", "\(file.name)")
                let reasons = reply.errorDetails.compactMap { $0["reason"] as? String }.joined(separator: " | ")
                #expect(file.reason.isEmpty || reasons.contains(file.reason), "\(file.name): \(reasons)")
                let listed = try await client.get("/v1/customers", key: key)
                #expect(listed.status == 200)
                #expect(listed.data.isEmpty, "\(file.name): nothing of a refused file is written")
            }
            // The same endpoint still imports a good file.
            let good = try await client.send(.post, "/v1/imports/customers", key: key, body: Self.customersHeader + Self.goodRow,
                                             contentType: "text/csv")
            #expect(good.int("created") == 1)
        }
    }

    /// Bodies that are not a JSON object of the endpoint's shape.
    static let brokenJSON: [(name: String, bytes: [UInt8])] = [
        ("truncated", Array(#"{"name": "X""#.utf8)),
        ("a trailing comma", Array(#"{"name": "X",}"#.utf8)),
        ("two documents", Array(#"{"name": "X"}{"name": "Y"}"#.utf8)),
        ("an array", Array(#"[{"name": "X"}]"#.utf8)),
        ("a bare string", Array(#""X""#.utf8)),
        ("null", Array("null".utf8)),
        ("empty", []),
        ("invalid UTF-8", Array(#"{"name": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)),
        ("a lone surrogate escape", Array(#"{"name": "\ud800"}"#.utf8)),
        ("a number too large for any field", Array(#"{"amount": 1e999999, "name": "X"}"#.utf8)),
        ("100,000 nested arrays", Array(String(repeating: "[", count: 100_000).utf8)),
        ("100,000 nested objects", Array(String(repeating: #"{"a":"#, count: 100_000).utf8)),
        ("a single quote JSON", Array("{'name': 'X'}".utf8)),
    ]

    /// Operations whose request body is not a JSON document.
    static let withoutJSONBody: Set<String> = [
        "POST /v1/imports/{kind}", "POST /v1/inbound/email", "POST /v1/tasks/{task_id}/cancel", "POST /v1/tasks/{task_id}/redrive",
        "POST /v1/tenants/{tenant_id}/suspend", "POST /v1/tenants/{tenant_id}/activate", "POST /v1/contacts/{contact_id}/reject",
    ]

    /// Operations whose JSON body may be left out: for them an empty body is no body, not a broken one.
    static let optionalJSONBody: Set<String> = ["POST /v1/contacts/{contact_id}/approve"]

    @Test func brokenJSONIsA400OnEveryOperationThatTakesJSONAndNothingIsWritten() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let (customer, invoice) = try await CollectionEndpointTests.book(client, key)
            let values = try await Self.objects(client, fixture, customer: customer, invoice: invoice)
            let before = try await CrossTenantTests.snapshot(fixture)
            var probed = 0
            for operation in try SpecConformanceTests.specOperations() {
                let parts = operation.split(separator: " ", maxSplits: 1)
                guard ["POST", "PUT", "PATCH"].contains(parts[0]), !Self.withoutJSONBody.contains(operation) else { continue }
                var path = String(parts[1])
                for (name, value) in values { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
                let credential = path.hasPrefix("/v1/tenants") ? APIFixture.operatorKey : key
                for body in Self.brokenJSON where !(body.bytes.isEmpty && Self.optionalJSONBody.contains(operation)) {
                    let reply = try await client.send(HTTPRequest.Method(rawValue: String(parts[0]))!, path, key: credential,
                                                      bytes: body.bytes, contentType: "application/json")
                    #expect(reply.status == 400, "\(operation) with \(body.name): \(reply.status) \(reply.text.prefix(300))")
                    #expect(reply.errorCode != nil, "\(operation) with \(body.name): no error object")
                }
                probed += 1
            }
            #expect(probed >= 20)
            #expect(try await CrossTenantTests.snapshot(fixture) == before, "no broken body changed the book")
            #expect(try await client.get("/v1/customers/\(customer)", key: key).status == 200, "the server keeps serving")
        }
    }

    /// Text that an API splicing strings into SQL would run. Bound parameters keep it text.
    static let sqlLookalikes = [
        "'; DROP TABLE customers; --",
        "\" OR \"1\"=\"1",
        "1' OR '1'='1' /*",
        "*/ SELECT pg_sleep(10); --",
        "$$; DELETE FROM invoices; $$",
        "\\'; TRUNCATE tenants CASCADE; --",
        "%' AND 1=1 -- _",
        "Robert'); DROP TABLE students;--",
        "x'::text; SET app.tenant_id = '2",
    ]

    @Test func textThatLooksLikeSQLIsStoredAndFoundAsText() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            for (index, text) in Self.sqlLookalikes.enumerated() {
                let quoted = Self.jsonString(text)
                let customer = try await client.create("/v1/customers", key: key,
                                                       #"{"external_ref": \#(quoted), "name": \#(quoted), "currency": "EUR"}"#)
                let contact = try await client.create("/v1/contacts", key: key,
                                                      #"{"customer_id": \#(customer), "email": "ap\#(index)@buyer.example", "name": \#(quoted)}"#)
                let invoice = try await client.create("/v1/invoices", key: key, """
                    {"customer_id": \(customer), "number": \(quoted), "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 100, "currency": "EUR"}
                    """)
                let payment = try await client.create("/v1/payments", key: key, """
                    {"customer_id": \(customer), "amount": 1, "currency": "EUR", "received_on": "2025-02-01", "reference": \(quoted)}
                    """)
                let promise = try await client.create("/v1/promises", key: key,
                                                      #"{"customer_id": \#(customer), "promised_on": "2025-03-01", "note": \#(quoted)}"#)
                let dispute = try await client.create("/v1/disputes", key: key,
                                                      #"{"customer_id": \#(customer), "invoice_ids": [\#(invoice)], "reason": \#(quoted)}"#)
                #expect(try await client.patch("/v1/settings", key: key, #"{"signature": \#(quoted), "sender_name": \#(quoted)}"#).status == 200)

                #expect(try await client.get("/v1/customers/\(customer)", key: key).string("name") == text)
                #expect(try await client.get("/v1/contacts/\(contact)", key: key).string("name") == text)
                #expect(try await client.get("/v1/invoices/\(invoice)", key: key).string("number") == text)
                #expect(try await client.get("/v1/payments/\(payment)", key: key).string("reference") == text)
                #expect(try await client.get("/v1/promises/\(promise)", key: key).string("note") == text)
                #expect(try await client.get("/v1/disputes/\(dispute)", key: key).string("reason") == text)
                #expect(try await client.get("/v1/settings", key: key).string("signature") == text)

                // Filters and natural keys in the URL find exactly the one object.
                let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                #expect(try await client.get("/v1/customers?external_ref=\(encoded)", key: key).ids == [customer])
                #expect(try await client.get("/v1/invoices?number=\(encoded)", key: key).ids == [invoice])
                #expect(try await client.get("/v1/payments?reference=\(encoded)", key: key).ids == [payment])
                #expect(try await client.get("/v1/customers/by-ref/\(encoded)", key: key).int("id") == customer)
            }
            let operatorCreated = try await client.post("/v1/tenants", key: APIFixture.operatorKey,
                                                        #"{"slug": "third-co", "name": \#(Self.jsonString(Self.sqlLookalikes[0]))}"#)
            #expect(operatorCreated.status == 201, "\(operatorCreated.text)")
            #expect((operatorCreated.object["tenant"] as? [String: Any])?["name"] as? String == Self.sqlLookalikes[0])

            // Every table is still there, with exactly the rows the calls made, and the other tenant saw none of them.
            let count = Self.sqlLookalikes.count
            for (table, expected) in [("customers", count), ("contacts", count), ("invoices", count), ("payments", count),
                                      ("promises", count), ("disputes", count), ("tenants", 3)] {
                let rows = try await fixture.pool.query("SELECT count(*) FROM \(unescaped: table)")[0].decode(Int.self, at: 0)
                #expect(rows == expected, "\(table)")
            }
            #expect(try await client.get("/v1/customers", key: fixture.secondAdmin).data.isEmpty)
        }
    }

    /// One of each object of the first tenant, named as the spec's path parameters are.
    static func objects(_ client: APIClient, _ fixture: APIFixture, customer: Int64, invoice: Int64) async throws -> [String: String] {
        let key = fixture.firstAdmin
        let contact = try await client.create("/v1/contacts", key: key, #"{"customer_id": \#(customer), "email": "ap@hostile.example"}"#)
        let payment = try await client.create("/v1/payments", key: key,
                                              #"{"customer_id": \#(customer), "amount": 1, "currency": "EUR", "received_on": "2025-02-01", "reference": "P-1"}"#)
        let promise = try await client.create("/v1/promises", key: key, #"{"customer_id": \#(customer), "promised_on": "2025-03-01"}"#)
        let dispute = try await client.create("/v1/disputes", key: key, #"{"customer_id": \#(customer), "invoice_ids": [\#(invoice)]}"#)
        let escalation = try await fixture.pool.query("""
            INSERT INTO escalations (tenant_id, customer_id, from_level, level, reasons)
            VALUES (\(fixture.first.id), \(customer), 0, 1, '{}') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let customerRef = try await client.get("/v1/customers/\(customer)", key: key).string("external_ref") ?? ""
        let number = try await client.get("/v1/invoices/\(invoice)", key: key).string("number") ?? ""
        return [
            "customer_id": "\(customer)", "contact_id": "\(contact)", "invoice_id": "\(invoice)", "payment_id": "\(payment)",
            "promise_id": "\(promise)", "dispute_id": "\(dispute)", "escalation_id": "\(escalation)",
            "external_ref": customerRef, "number": number, "reference": "P-1", "email": "ap@hostile.example",
            "tenant_id": "\(fixture.first.id)", "key_id": "1",
        ]
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
