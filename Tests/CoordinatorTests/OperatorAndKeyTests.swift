import HTTPTypes
import Foundation
import Postgres
import Testing

@Suite struct OperatorAndKeyTests {
    @Test func theOperatorManagesTenantsAndKeys() async throws {
        try await withAPI { client, _ in
            let op = APIFixture.operatorKey
            let created = try await client.post("/v1/tenants", key: op, #"{"slug": "third-co", "name": "Third", "time_zone": "Europe/Paris"}"#)
            #expect(created.status == 201)
            let tenant = try #require(created.object["tenant"] as? [String: Any])
            let issued = try #require(created.object["api_key"] as? [String: Any])
            let tenantID = try #require((tenant["id"] as? NSNumber)?.int64Value)
            let secret = try #require(issued["key"] as? String)
            #expect(issued["role"] as? String == "admin")

            #expect(try await client.get("/v1/customers", key: secret).status == 200)
            #expect(try await client.get("/v1/tenants/\(tenantID)", key: op).string("slug") == "third-co")
            #expect(try await client.get("/v1/tenants?status=active", key: op).ids.contains(tenantID))
            #expect(try await client.post("/v1/tenants", key: op, #"{"slug": "third-co", "name": "Again"}"#).status == 409)
            #expect(try await client.post("/v1/tenants", key: op, #"{"slug": "Bad Slug", "name": "X"}"#).status == 422)

            let reader = try await client.post("/v1/tenants/\(tenantID)/keys", key: op, #"{"role": "read_only", "name": "dashboard"}"#)
            #expect(reader.status == 201)
            let readerKey = try #require(reader.string("key"))
            let listed = try await client.get("/v1/tenants/\(tenantID)/keys", key: op)
            #expect(listed.ids.count == 2)
            #expect(listed.data.allSatisfy { $0["key"] == nil }, "a key is never shown again")
            #expect(!listed.text.contains(readerKey))

            let suspended = try await client.post("/v1/tenants/\(tenantID)/suspend", key: op, "{}")
            #expect(suspended.string("status") == "suspended")
            let refused = try await client.get("/v1/customers", key: secret)
            #expect(refused.status == 403)
            #expect(refused.errorCode == "tenant_suspended")
            #expect(try await client.post("/v1/tenants/\(tenantID)/activate", key: op, "{}").string("status") == "active")
            #expect(try await client.get("/v1/customers", key: secret).status == 200)

            let revoked = try await client.send(.delete, "/v1/tenants/\(tenantID)/keys/\(reader.int("id")!)", key: op)
            #expect(revoked.status == 200)
            #expect(revoked.string("revoked_at") != nil)
            #expect(try await client.get("/v1/customers", key: readerKey).status == 401)
            #expect(try await client.send(.delete, "/v1/tenants/\(tenantID)/keys/424242", key: op).status == 404)
            #expect(try await client.post("/v1/tenants/424242/keys", key: op, "{}").status == 404)
        }
    }

    @Test func keysAreStoredOnlyAsHashes() async throws {
        try await withAPI { _, fixture in
            let rows = try await fixture.pool.query("SELECT prefix, secret_hash FROM api_keys")
            #expect(rows.count == 3)
            for row in rows {
                let (prefix, hash) = try row.decode((String, Data).self)
                #expect(hash.count == 32)
                #expect(fixture.firstAdmin.contains(prefix) || fixture.firstReadOnly.contains(prefix) || fixture.secondAdmin.contains(prefix))
                #expect(!String(decoding: hash, as: UTF8.self).contains(fixture.firstAdmin.suffix(20)))
            }
            let columns = try await fixture.pool.query("""
                SELECT column_name FROM information_schema.columns WHERE table_name = 'api_keys'
                """).map { try $0.decode(String.self, at: 0) }
            #expect(!columns.contains("secret"), "no column can hold a key in clear")
        }
    }

    @Test func keysAreCheckedAndRolesEnforced() async throws {
        try await withAPI { client, fixture in
            #expect(try await client.get("/v1/customers", key: nil).status == 401)
            let tampered = String(fixture.firstAdmin.dropLast()) + (fixture.firstAdmin.last == "a" ? "b" : "a")
            let wrong = try await client.get("/v1/customers", key: tampered)
            #expect(wrong.status == 401)
            #expect(wrong.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.get("/v1/customers", key: "ark_garbage").status == 401)
            #expect(try await client.get("/v1/tenants", key: fixture.firstAdmin).status == 401, "a tenant key is no operator key")
            #expect(try await client.get("/v1/customers", key: APIFixture.operatorKey).status == 401, "nor the other way round")

            let reader = fixture.firstReadOnly
            #expect(try await client.get("/v1/customers", key: reader).status == 200)
            let writes: [(HTTPRequest.Method, String)] = [
                (.post, "/v1/customers"), (.patch, "/v1/customers/1"), (.put, "/v1/customers/by-ref/C-1"), (.post, "/v1/contacts"),
                (.put, "/v1/customers/by-ref/C-1/contacts/a@b.example"), (.patch, "/v1/contacts/1"), (.post, "/v1/invoices"),
                (.patch, "/v1/invoices/1"), (.put, "/v1/invoices/by-ref/A"), (.post, "/v1/payments"), (.patch, "/v1/payments/1"),
                (.put, "/v1/payments/by-ref/P"), (.post, "/v1/promises"), (.patch, "/v1/promises/1"), (.post, "/v1/disputes"),
                (.patch, "/v1/disputes/1"), (.patch, "/v1/escalations/1"), (.put, "/v1/policy"), (.post, "/v1/imports/customers"),
            ]
            for (method, path) in writes {
                let reply = try await client.send(method, path, key: reader, json: "{}")
                #expect(reply.status == 403, "\(method) \(path) with a read-only key")
                #expect(reply.errorCode == "forbidden")
            }
        }
    }

    @Test func aKeyWithTheRightPrefixButAnotherSecretIs401() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let prefix = String(key.prefix("ark_".count + 12 + 1))
            let secret = key.dropFirst(prefix.count)
            func other(_ character: Character) -> Character { character == "a" ? "b" : "a" }
            let forgeries: [String] = [
                prefix + String(repeating: "x", count: secret.count),
                prefix + String(other(secret.first!)) + String(secret.dropFirst()),
                prefix + String(secret.dropLast()) + String(other(secret.last!)),
                prefix + String(secret) + "a",
                prefix + String(secret.dropLast()),
            ]
            for forged in forgeries {
                let reply = try await client.get("/v1/customers", key: forged)
                #expect(reply.status == 401, "\(forged)")
                #expect(reply.errorCode == "unauthenticated")
            }
            let operatorKey = APIFixture.operatorKey
            let firstChanged: String = String(other(operatorKey.first!)) + operatorKey.dropFirst()
            let lastChanged: String = operatorKey.dropLast() + String(other(operatorKey.last!))
            for forged in [firstChanged, lastChanged, operatorKey + "0", String(operatorKey.dropLast())] {
                #expect(try await client.get("/v1/tenants", key: forged).status == 401, "\(forged)")
            }
            #expect(try await client.get("/v1/customers", key: key).status == 200, "the real key still works")
            #expect(try await client.get("/v1/tenants", key: operatorKey).status == 200)
        }
    }

    @Test func theOperatorAPIRefusesTheSlugsTheCommandLineRefuses() async throws {
        try await withAPI { client, fixture in
            for slug in ServeCommandTests.badSlugs {
                let reply = try await client.post("/v1/tenants", key: APIFixture.operatorKey, #"{"slug": "\#(slug)", "name": "X"}"#)
                #expect(reply.status == 422, "\(slug): \(reply.text)")
                #expect(reply.errorFields == ["slug"])
                let reason = reply.errorDetails.first?["reason"] as? String ?? ""
                #expect(reason.contains("use 2 to 63 lower-case letters, digits and -"), "\(slug): \(reason)")
            }
            #expect(try await client.post("/v1/tenants", key: APIFixture.operatorKey, #"{"slug": "ab", "name": "X"}"#).status == 201)
        }
    }
}
