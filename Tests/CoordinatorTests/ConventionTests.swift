import Foundation
import Testing

/// Idempotency keys, rate limits and request IDs.
@Suite struct ConventionTests {
    @Test func aRetriedPostReplaysTheFirstResponse() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let body = #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#
            let first = try await client.post("/v1/customers", key: key, body, headers: ["Idempotency-Key": "retry-1"])
            let second = try await client.post("/v1/customers", key: key, body, headers: ["Idempotency-Key": "retry-1"])
            #expect(first.status == 201)
            #expect(second.status == 201)
            #expect(second.text == first.text)
            #expect(second.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(try await client.get("/v1/customers", key: key).ids.count == 1, "created once")

            let other = try await client.post("/v1/customers", key: key, #"{"external_ref": "C-2", "name": "X", "currency": "EUR"}"#,
                                              headers: ["Idempotency-Key": "retry-1"])
            #expect(other.status == 422)
            #expect(other.errorCode == "idempotency_key_reused")

            // Errors are replayed too: the same mistake answers the same way.
            let bad = try await client.post("/v1/customers", key: key, body, headers: ["Idempotency-Key": "retry-2"])
            #expect(bad.status == 409)
            let badAgain = try await client.post("/v1/customers", key: key, body, headers: ["Idempotency-Key": "retry-2"])
            #expect(badAgain.text == bad.text)

            // Keys belong to a tenant: the same key elsewhere is a new request.
            let elsewhere = try await client.post("/v1/customers", key: fixture.secondAdmin, body, headers: ["Idempotency-Key": "retry-1"])
            #expect(elsewhere.status == 201)
            #expect(elsewhere.headers[.init("Idempotent-Replayed")!] == nil)
        }
    }

    @Test func aRetryTakesOverAClaimWhoseCoordinatorDied() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let body = #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#
            let headers = ["Idempotency-Key": "crashed-1"]
            #expect(try await client.post("/v1/customers", key: key, body, headers: headers).status == 201)
            // What a coordinator that died mid-request leaves: the key claimed, no response stored,
            // and the request's own transaction rolled back.
            try await fixture.pool.query("DELETE FROM customers WHERE tenant_id = \(fixture.first.id)")
            try await fixture.pool.query("UPDATE idempotency_keys SET status = NULL, content_type = NULL, body = NULL")

            let early = try await client.post("/v1/customers", key: key, body, headers: headers)
            #expect(early.status == 409)
            #expect(early.errorCode == "idempotency_in_progress", "a fresh claim may still be answered")

            try await fixture.pool.query("UPDATE idempotency_keys SET created_at = now() - interval '61 seconds'")
            let other = try await client.post("/v1/customers", key: key, #"{"external_ref": "C-2", "name": "X", "currency": "EUR"}"#,
                                              headers: headers)
            #expect(other.errorCode == "idempotency_key_reused", "only the same request takes a stale claim over")
            let retried = try await client.post("/v1/customers", key: key, body, headers: headers)
            #expect(retried.status == 201)
            #expect(retried.headers[.init("Idempotent-Replayed")!] == nil, "the retry ran the request")
            let again = try await client.post("/v1/customers", key: key, body, headers: headers)
            #expect(again.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(again.text == retried.text)
            #expect(try await client.get("/v1/customers", key: key).ids.count == 1)
        }
    }

    @Test func aTenantOverItsRateLimitIsToldWhenToRetry() async throws {
        // A token every 100 s: however slow the machine, the third request finds the bucket empty.
        try await withAPI(rateLimit: 0.01, rateLimitBurst: 2) { client, fixture in
            #expect(try await client.get("/v1/customers", key: fixture.firstAdmin).status == 200)
            #expect(try await client.get("/v1/customers", key: fixture.firstAdmin).status == 200)
            let limited = try await client.get("/v1/customers", key: fixture.firstAdmin)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.get("/v1/customers", key: fixture.secondAdmin).status == 200, "limits are per tenant")
        }
    }

    @Test func requestIDsComeBackInResponses() async throws {
        try await withAPI { client, fixture in
            let echoed = try await client.send(.get, "/v1/customers", key: fixture.firstAdmin, headers: ["X-Request-ID": "trace-123"])
            #expect(echoed.headers[.init("X-Request-ID")!] == "trace-123")
            let made = try await client.get("/v1/customers/999", key: fixture.firstAdmin)
            #expect((made.headers[.init("X-Request-ID")!] ?? "").count >= 16)
            #expect(made.headers[.contentType] == "application/json")
        }
    }
}
