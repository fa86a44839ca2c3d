import Foundation
import Testing

@Suite struct ImportEndpointTests {
    @Test func csvUploadsAreImportedOrRefusedWhole() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customers = "external_ref,name,currency,timezone,language,account_owner_email\nC-1,One,EUR,,,\nC-2,Two,JPY,,,\n"
            let imported = try await client.send(.post, "/v1/imports/customers", key: key, body: customers, contentType: "text/csv")
            #expect(imported.status == 200)
            #expect(imported.int("created") == 2)
            let again = try await client.send(.post, "/v1/imports/customers", key: key, body: customers, contentType: "text/csv; charset=utf-8")
            #expect(again.int("unchanged") == 2)

            let invoices = "customer_ref,number,issued_on,due_on,amount,currency\nC-1,A,2025-01-01,2025-01-31,12.345,EUR\nC-3,B,2025-01-01,2025-01-31,1,EUR\n"
            let refused = try await client.send(.post, "/v1/imports/invoices", key: key, body: invoices, contentType: "text/csv")
            #expect(refused.status == 422)
            #expect(refused.errorCode == "import_rejected")
            let problems = refused.errorDetails.map { "\($0["line"] as? Int ?? 0) \($0["column"] as? String ?? "-")" }
            #expect(problems == ["2 amount", "3 customer_ref"])
            #expect(try await client.get("/v1/invoices", key: key).ids.isEmpty)

            #expect(try await client.send(.post, "/v1/imports/customers", key: key, json: "{}").status == 415)
            #expect(try await client.send(.post, "/v1/imports/debts", key: key, body: customers, contentType: "text/csv").status == 404)
        }
    }

    @Test func statusChangesRefuseUnknownStatuses() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let (customer, invoice) = try await CollectionEndpointTests.book(client, key)
            let promise = try await client.create("/v1/promises", key: key, #"{"customer_id": \#(customer), "promised_on": "2025-03-01"}"#)
            let dispute = try await client.create("/v1/disputes", key: key, #"{"customer_id": \#(customer), "invoice_ids": [\#(invoice)]}"#)
            #expect(try await client.patch("/v1/promises/\(promise)", key: key, #"{"status": "forgotten"}"#).status == 422)
            #expect(try await client.patch("/v1/promises/\(promise)", key: key, #"{"promised_on": "soon"}"#).status == 422)
            #expect(try await client.patch("/v1/disputes/\(dispute)", key: key, #"{"status": "won"}"#).status == 422)
            #expect(try await client.patch("/v1/disputes/\(dispute)", key: key, #"{"assignee": 5}"#).status == 400)
            #expect(try await client.patch("/v1/escalations/1", key: key, #"{}"#).status == 400, "status is required")
            #expect(try await client.patch("/v1/escalations/1", key: key, #"{"status": "ignored"}"#).status == 422)
            #expect(try await client.get("/v1/promises/424242", key: key).status == 404)
            #expect(try await client.get("/v1/disputes?status=won", key: key).status == 400)
            #expect(try await client.get("/v1/escalations?customer_id=x", key: key).status == 400)
        }
    }
}
