import Foundation
import Testing

@Suite struct CustomerEndpointTests {
    @Test func createReadUpdateAndList() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let created = try await client.post("/v1/customers", key: key, """
                {"external_ref": "C-1", "name": "Buyer GmbH", "currency": "EUR", "time_zone": "Europe/Berlin",
                 "language": "de", "account_owner_email": "owner@seller.example", "is_key_account": true}
                """)
            #expect(created.status == 201)
            #expect(created.string("object") == "customer")
            #expect(created.string("time_zone") == "Europe/Berlin")
            #expect(created.object["is_key_account"] as? Bool == true)
            #expect(created.headers[.init("X-Request-ID")!] != nil)
            let id = try #require(created.int("id"))

            let read = try await client.get("/v1/customers/\(id)", key: key)
            #expect(read.status == 200)
            #expect(read.string("name") == "Buyer GmbH")

            let updated = try await client.patch("/v1/customers/\(id)", key: key,
                                                  #"{"status": "paused", "paused_until": "2025-04-01", "account_owner_email": null}"#)
            #expect(updated.status == 200)
            #expect(updated.string("status") == "paused")
            #expect(updated.string("paused_until") == "2025-04-01")
            #expect(updated.object["account_owner_email"] is NSNull)

            for index in 2...5 {
                _ = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-\#(index)", "name": "N", "currency": "USD"}"#)
            }
            let usd = try await client.get("/v1/customers?currency=USD&limit=3", key: key)
            #expect(usd.ids.count == 3)
            #expect(usd.object["has_more"] as? Bool == true)
            let rest = try await client.get("/v1/customers?currency=USD&limit=3&starting_after=\(usd.ids.last!)", key: key)
            #expect(rest.ids.count == 1)
            #expect(rest.object["has_more"] as? Bool == false)
            let paused = try await client.get("/v1/customers?status=paused", key: key)
            #expect(paused.ids == [id])
        }
    }

    @Test func upsertByExternalReference() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let first = try await client.put("/v1/customers/by-ref/ERP%2042", key: key, #"{"name": "Acme", "currency": "EUR"}"#)
            #expect(first.status == 201)
            #expect(first.string("external_ref") == "ERP 42")
            _ = try await client.patch("/v1/customers/\(first.int("id")!)", key: key, #"{"language": "fr"}"#)
            let again = try await client.put("/v1/customers/by-ref/ERP%2042", key: key, #"{"name": "Acme SA", "currency": "EUR"}"#)
            #expect(again.status == 200)
            #expect(again.int("id") == first.int("id"))
            #expect(again.string("name") == "Acme SA")
            #expect(again.string("language") == "fr", "fields left out keep their stored values")
            let byRef = try await client.get("/v1/customers/by-ref/ERP%2042", key: key)
            #expect(byRef.int("id") == first.int("id"))
        }
    }

    @Test func badInputsAreRefusedWithEveryProblemNamed() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let shape = try await client.post("/v1/customers", key: key,
                                              #"{"external_ref": 7, "name": "X", "currency": "EUR", "colour": "red", "is_consumer": "yes"}"#)
            #expect(shape.status == 400)
            #expect(shape.errorCode == "invalid_request")
            #expect(Set(shape.errorFields) == ["external_ref", "colour", "is_consumer"])

            let values = try await client.post("/v1/customers", key: key,
                                               #"{"external_ref": "C-9", "name": "", "currency": "eur", "language": "german", "time_zone": "Mars/Base"}"#)
            #expect(values.status == 422)
            #expect(values.errorCode == "validation_failed")
            #expect(Set(values.errorFields) == ["name", "currency", "language", "time_zone"])

            let missing = try await client.post("/v1/customers", key: key, #"{"name": "X"}"#)
            #expect(missing.status == 400)
            #expect(Set(missing.errorFields) == ["external_ref", "currency"])

            let malformed = try await client.post("/v1/customers", key: key, #"{"name": "X",}"#)
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "invalid_json")

            let notJSON = try await client.send(.post, "/v1/customers", key: key, body: "name=x", contentType: "application/x-www-form-urlencoded")
            #expect(notJSON.status == 415)

            let nul = try await client.post("/v1/customers", key: key, #"{"external_ref": "C\u0000", "name": "X", "currency": "EUR"}"#)
            #expect(nul.status == 422)

            _ = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let duplicate = try await client.post("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "Y", "currency": "EUR"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.errorCode == "already_exists")

            let immutable = try await client.patch("/v1/customers/1", key: key, #"{"external_ref": "C-2"}"#)
            #expect(immutable.status == 400)

            #expect(try await client.get("/v1/customers/abc", key: key).status == 404)
            #expect(try await client.get("/v1/customers/99999", key: key).status == 404)
            #expect(try await client.get("/v1/customers?limit=0", key: key).status == 400)
            #expect(try await client.get("/v1/customers?limit=101", key: key).status == 400)
            #expect(try await client.get("/v1/customers?colour=red", key: key).status == 400)
            #expect(try await client.get("/v1/customers?status=sleeping", key: key).status == 400)
        }
    }

    @Test func aCustomersThreadIsListedNewestFirst() async throws {
        try await withAPI { client, fixture in
            let id = try await client.create("/v1/customers", key: fixture.firstAdmin, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            for index in 1...3 {
                try await fixture.pool.query("""
                    INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, subject, status)
                    VALUES (\(fixture.first.id), \(id), 'outbound', \("<m\(index)@x>"), 'ar@seller.example', \("Reminder \(index)"), 'sent')
                    """)
            }
            let thread = try await client.get("/v1/customers/\(id)/messages?limit=2", key: fixture.firstAdmin)
            #expect(thread.status == 200)
            #expect(thread.data.compactMap { $0["subject"] as? String } == ["Reminder 3", "Reminder 2"])
            let older = try await client.get("/v1/customers/\(id)/messages?starting_after=\(thread.ids.last!)", key: fixture.firstAdmin)
            #expect(older.data.compactMap { $0["subject"] as? String } == ["Reminder 1"])
            let one = try await client.get("/v1/messages/\(thread.ids[0])", key: fixture.firstAdmin)
            #expect(one.string("message_id") == "<m3@x>")
            #expect(try await client.get("/v1/customers/424242/messages", key: fixture.firstAdmin).status == 404)
        }
    }
}
