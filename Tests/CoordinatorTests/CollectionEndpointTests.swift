import Foundation
import Testing

/// Promises, disputes, escalations, the audit log, the policy and the reports.
@Suite struct CollectionEndpointTests {
    static func book(_ client: APIClient, _ key: String) async throws -> (customer: Int64, invoice: Int64) {
        let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
        let invoice = try await client.create("/v1/invoices", key: key, """
            {"customer_id": \(customer), "number": "A", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 10000, "currency": "EUR"}
            """)
        return (customer, invoice)
    }

    @Test func promisesAreRecordedAndResolved() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let (customer, invoice) = try await Self.book(client, key)
            let promise = try await client.post("/v1/promises", key: key, """
                {"customer_id": \(customer), "promised_on": "2025-03-10", "amount": 10000, "currency": "EUR", "invoice_ids": [\(invoice)]}
                """)
            #expect(promise.status == 201)
            #expect(promise.string("status") == "active")
            let kept = try await client.patch("/v1/promises/\(promise.int("id")!)", key: key, #"{"status": "kept"}"#)
            #expect(kept.string("status") == "kept")
            #expect(kept.string("resolved_at") != nil)
            #expect(try await client.get("/v1/promises?status=kept", key: key).ids == [promise.int("id")!])
            #expect(try await client.post("/v1/promises", key: key, """
                {"customer_id": \(customer), "promised_on": "2025-03-10", "amount": 10000}
                """).status == 422, "an amount needs its currency")
            #expect(try await client.post("/v1/promises", key: key, """
                {"customer_id": \(customer), "promised_on": "2025-03-10", "invoice_ids": [424242]}
                """).status == 404)
        }
    }

    @Test func aDisputeTakesItsInvoicesOutOfCollectionUntilResolved() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let (customer, invoice) = try await Self.book(client, key)
            let dispute = try await client.post("/v1/disputes", key: key, """
                {"customer_ref": "C-1", "invoice_ids": [\(invoice)], "reason": "goods damaged"}
                """)
            #expect(dispute.status == 201)
            #expect(try await client.get("/v1/invoices/\(invoice)", key: key).string("status") == "disputed")
            let resolved = try await client.patch("/v1/disputes/\(dispute.int("id")!)", key: key,
                                                  #"{"status": "resolved", "resolution": "credit note issued"}"#)
            #expect(resolved.string("status") == "resolved")
            #expect(try await client.get("/v1/invoices/\(invoice)", key: key).string("status") == "open")
            #expect(try await client.get("/v1/disputes?customer_id=\(customer)", key: key).ids.count == 1)
            #expect(try await client.post("/v1/disputes", key: key, #"{"customer_id": \#(customer), "invoice_ids": []}"#).status == 422)
        }
    }

    @Test func escalationsAndTheAuditLog() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let (customer, _) = try await Self.book(client, key)
            let escalation = try await fixture.pool.query("""
                INSERT INTO escalations (tenant_id, customer_id, from_level, level, reasons)
                VALUES (\(fixture.first.id), \(customer), 0, 1, '{"EUR 100.00 overdue"}') RETURNING id
                """)[0].decode(Int64.self, at: 0)
            #expect(try await client.get("/v1/escalations?status=open", key: key).ids == [escalation])
            let handled = try await client.patch("/v1/escalations/\(escalation)", key: key, #"{"status": "handled"}"#)
            #expect(handled.string("status") == "handled")
            #expect(handled.string("resolved_at") != nil)
            #expect(try await client.get("/v1/escalations/\(escalation)", key: key).string("status") == "handled")

            let audit = try await client.get("/v1/audit-events?customer_id=\(customer)", key: key)
            let actions = audit.data.compactMap { $0["action"] as? String }
            #expect(actions == ["escalation.updated", "invoice.created", "customer.created"], "newest first")
            #expect(audit.data.allSatisfy { ($0["actor"] as? String)?.hasPrefix("api_key:") == true })
            #expect(try await client.get("/v1/audit-events?action=invoice.created", key: key).ids.count == 1)
        }
    }

    @Test func thePolicyIsValidatedWhole() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let standard = try await client.get("/v1/policy", key: key)
            #expect(standard.int("version") == 0)
            #expect((standard.object["document"] as? [String: Any])?["review_interval_days"] as? Int == 7)

            let replaced = try await client.put("/v1/policy", key: key, #"{"review_interval_days": 3, "min_days_between_reminders": 4}"#)
            #expect(replaced.status == 200)
            #expect(replaced.int("version") == 1)
            let document = replaced.object["document"] as? [String: Any]
            #expect(document?["review_interval_days"] as? Int == 3)
            #expect(document?["stages"] != nil, "keys left out take their defaults")
            #expect(try await client.get("/v1/policy", key: key).int("version") == 1)

            let refused = try await client.put("/v1/policy", key: key, #"{"review_interval_days": "often", "colour": 1}"#)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "invalid_policy")
            #expect(refused.errorDetails.count == 2)
            #expect(try await client.get("/v1/policy", key: key).int("version") == 1, "a refused policy changes nothing")
            #expect(try await client.put("/v1/policy", key: key, "[").status == 400)
        }
    }

    @Test func reportsAgeReceivablesPerCurrency() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "Late Ltd", "currency": "EUR"}"#)
            // As of 2025-06-30: due in the future, 10, 45, 75 and 120 days past due.
            for (number, due, amount, currency) in [("A", "2025-07-15", 100, "EUR"), ("B", "2025-06-20", 200, "EUR"),
                                                    ("C", "2025-05-16", 300, "EUR"), ("D", "2025-04-16", 400, "EUR"),
                                                    ("E", "2025-03-02", 500, "EUR"), ("F", "2025-06-01", 7000, "JPY")] {
                _ = try await client.create("/v1/invoices", key: key, """
                    {"customer_id": \(customer), "number": "\(number)", "issued_on": "2025-01-01", "due_on": "\(due)",
                     "amount": \(amount), "currency": "\(currency)"}
                    """)
            }
            let aging = try await client.get("/v1/reports/aging?as_of=2025-06-30", key: key)
            let rows = aging.object["currencies"] as? [[String: Any]] ?? []
            #expect(rows.compactMap { $0["currency"] as? String } == ["EUR", "JPY"])
            let eur = rows[0]
            #expect([eur["current"], eur["days_1_30"], eur["days_31_60"], eur["days_61_90"], eur["days_over_90"], eur["total"]]
                .compactMap { ($0 as? NSNumber)?.intValue } == [100, 200, 300, 400, 500, 1500])

            let dso = try await client.get("/v1/reports/dso?as_of=2025-06-30&period_days=365", key: key)
            let dsoEUR = (dso.object["currencies"] as? [[String: Any]])?.first
            #expect((dsoEUR?["receivables"] as? NSNumber)?.intValue == 1500)
            #expect((dsoEUR?["dso"] as? NSNumber)?.doubleValue == 365.0, "everything invoiced is still open")

            let overdue = try await client.get("/v1/reports/overdue-customers?as_of=2025-06-30&currency=EUR", key: key)
            let top = overdue.data.first
            #expect((top?["overdue_amount"] as? NSNumber)?.intValue == 1400)
            #expect((top?["oldest_days_overdue"] as? NSNumber)?.intValue == 120)
            #expect((top?["overdue_invoices"] as? NSNumber)?.intValue == 4)
            #expect(try await client.get("/v1/reports/aging?as_of=yesterday", key: key).status == 400)
        }
    }
}
