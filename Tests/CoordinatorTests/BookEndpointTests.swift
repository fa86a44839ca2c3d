import Foundation
import Testing

/// Contacts, invoices and payments: what the ERP sync writes.
@Suite struct BookEndpointTests {
    @Test func contactsKeepOnePrimaryAndUpsertByEmail() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let first = try await client.create("/v1/contacts", key: key,
                                                #"{"customer_id": \#(customer), "email": "ap@buyer.example", "is_primary": true}"#)
            let second = try await client.post("/v1/contacts", key: key,
                                               #"{"customer_ref": "C-1", "email": "cfo@buyer.example", "role": "finance", "is_primary": true}"#)
            #expect(second.status == 201)
            #expect(second.string("source") == "manual")
            #expect(try await client.get("/v1/contacts/\(first)", key: key).object["is_primary"] as? Bool == false)

            let upserted = try await client.put("/v1/customers/by-ref/C-1/contacts/AP@buyer.example", key: key, #"{"name": "Accounts"}"#)
            #expect(upserted.status == 200, "the email matches case-insensitively")
            #expect(upserted.int("id") == first)
            let added = try await client.put("/v1/customers/by-ref/C-1/contacts/new@buyer.example", key: key, "{}")
            #expect(added.status == 201)

            let listed = try await client.get("/v1/contacts?customer_id=\(customer)", key: key)
            #expect(listed.ids.count == 3)
            let byEmail = try await client.get("/v1/contacts?email=CFO@buyer.example", key: key)
            #expect(byEmail.ids == [second.int("id")!])

            let patched = try await client.patch("/v1/contacts/\(first)", key: key, #"{"status": "bounced"}"#)
            #expect(patched.string("status") == "bounced")
            #expect(try await client.patch("/v1/contacts/\(first)", key: key, #"{"email": "not-an-address"}"#).status == 422)
            #expect(try await client.post("/v1/contacts", key: key, #"{"customer_id": 999, "email": "a@b.example"}"#).status == 404)
            #expect(try await client.post("/v1/contacts", key: key, #"{"email": "a@b.example"}"#).status == 400)
        }
    }

    @Test func aProposedContactIsApprovedOrRejectedByAnAdmin() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let current = try await client.create("/v1/contacts", key: key,
                                                  #"{"customer_id": \#(customer), "email": "ap@buyer.example", "is_primary": true}"#)
            // Two addresses an agent proposed, as contact discovery writes them.
            let proposed = try await fixture.pool.query("""
                INSERT INTO contacts (tenant_id, customer_id, email, role, status, source)
                VALUES (\(fixture.first.id), \(customer), 'jane@buyer.example', 'billing', 'proposed', 'discovered'),
                       (\(fixture.first.id), \(customer), 'guess@buyer.example', 'billing', 'proposed', 'discovered')
                RETURNING id
                """).map { try $0.decode(Int64.self, at: 0) }
            let (jane, guess) = (proposed[0], proposed[1])
            #expect(try await client.get("/v1/contacts?status=proposed", key: key).ids == [jane, guess])
            try await fixture.pool.query("UPDATE customers SET next_review_at = 'infinity'")

            #expect(try await client.post("/v1/contacts/\(jane)/approve", key: fixture.firstReadOnly, "").status == 403)
            #expect(try await client.post("/v1/contacts/\(jane)/approve", key: key, #"{"is_primary": "yes"}"#).status == 400)
            #expect(try await client.post("/v1/contacts/999999/approve", key: key, "").status == 404)
            let notProposed = try await client.post("/v1/contacts/\(current)/approve", key: key, "")
            #expect(notProposed.status == 409)
            #expect(notProposed.errorCode == "contact_not_proposed")

            let approved = try await client.post("/v1/contacts/\(jane)/approve", key: key, #"{"is_primary": true}"#)
            #expect(approved.status == 200)
            #expect(approved.string("status") == "unverified")
            #expect(approved.object["is_primary"] as? Bool == true)
            #expect(try await client.get("/v1/contacts/\(current)", key: key).object["is_primary"] as? Bool == false)
            #expect(try await fixture.pool.query("SELECT next_review_at <= now() FROM customers")[0].decode(Bool.self, at: 0),
                    "the customer is reviewed at once")
            #expect(try await client.post("/v1/contacts/\(jane)/approve", key: key, "").status == 409, "approved once")

            let rejected = try await client.post("/v1/contacts/\(guess)/reject", key: key, "")
            #expect(rejected.status == 200)
            #expect(rejected.string("status") == "rejected")
            #expect(rejected.object["is_primary"] as? Bool == false)
            #expect(try await client.post("/v1/contacts/\(guess)/approve", key: key, "").status == 409)

            let audit = try await client.get("/v1/audit-events?customer_id=\(customer)", key: key)
            let actions = audit.data.compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "contact.approved" || $0 == "contact.rejected" } == ["contact.rejected", "contact.approved"])
        }
    }

    @Test func aProposalIsDecidedOnlyByApprovingOrRejectingIt() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let current = try await client.create("/v1/contacts", key: key, #"{"customer_id": \#(customer), "email": "ap@buyer.example"}"#)
            let proposed = try await fixture.pool.query("""
                INSERT INTO contacts (tenant_id, customer_id, email, role, status, source)
                VALUES (\(fixture.first.id), \(customer), 'jane@buyer.example', 'billing', 'proposed', 'discovered'),
                       (\(fixture.first.id), \(customer), 'guess@buyer.example', 'billing', 'proposed', 'discovered')
                RETURNING id
                """).map { try $0.decode(Int64.self, at: 0) }
            let (jane, guess) = (proposed[0], proposed[1])
            #expect(try await client.post("/v1/contacts/\(guess)/reject", key: key, "").status == 200)

            func refusal(_ reply: APIReply, _ words: String, _ context: String) {
                #expect(reply.status == 422, "\(context): \(reply.text)")
                #expect(reply.errorCode == "validation_failed", "\(context)")
                #expect(reply.errorFields == ["status"], "\(context)")
                let reason = reply.errorDetails.first?["reason"] as? String ?? ""
                #expect(reason.contains(words) && reason.contains("/reject"), "\(context): \(reason)")
            }
            // Out of proposed or rejected, by PATCH or by the upsert on the email.
            for status in ["valid", "unverified", "bounced", "opted_out"] {
                refusal(try await client.patch("/v1/contacts/\(jane)", key: key, #"{"status": "\#(status)"}"#), "is proposed", "jane to \(status)")
                refusal(try await client.patch("/v1/contacts/\(guess)", key: key, #"{"status": "\#(status)"}"#), "was rejected", "guess to \(status)")
            }
            refusal(try await client.put("/v1/customers/by-ref/C-1/contacts/jane@buyer.example", key: key, #"{"status": "valid"}"#),
                    "is proposed", "upsert of jane")
            refusal(try await client.put("/v1/customers/by-ref/C-1/contacts/GUESS@buyer.example", key: key, #"{"status": "valid"}"#),
                    "was rejected", "upsert of guess")
            // Into proposed or rejected, whatever the contact.
            for status in ["proposed", "rejected"] {
                refusal(try await client.patch("/v1/contacts/\(current)", key: key, #"{"status": "\#(status)"}"#), "only by the agents", status)
                refusal(try await client.post("/v1/contacts", key: key, #"{"customer_id": \#(customer), "email": "new@buyer.example", "status": "\#(status)"}"#),
                        "only by the agents", "a new contact \(status)")
            }
            #expect(try await client.get("/v1/contacts/\(jane)", key: key).string("status") == "proposed")
            #expect(try await client.get("/v1/contacts/\(guess)", key: key).string("status") == "rejected")
            #expect(try await client.get("/v1/contacts/\(current)", key: key).string("status") == "unverified")

            // The rest of a proposal may still be corrected, and other contacts' status set as before.
            let renamed = try await client.patch("/v1/contacts/\(jane)", key: key, #"{"name": "Jane Doe"}"#)
            #expect(renamed.status == 200)
            #expect(renamed.string("status") == "proposed")
            #expect(try await client.patch("/v1/contacts/\(current)", key: key, #"{"status": "valid"}"#).string("status") == "valid")
            #expect(try await client.post("/v1/contacts/\(jane)/approve", key: key, "").string("status") == "unverified")
        }
    }

    @Test func invoicesCarryMinorUnitsAndUpsertByNumber() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let invoice = try await client.post("/v1/invoices", key: key, """
                {"customer_ref": "C-1", "number": "INV-1", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 123450, "currency": "EUR"}
                """)
            #expect(invoice.status == 201)
            #expect(invoice.int("open_amount") == 123_450)
            #expect(invoice.string("status") == "open")
            let id = try #require(invoice.int("id"))

            let lowered = try await client.patch("/v1/invoices/\(id)", key: key, #"{"open_amount": 0}"#)
            #expect(lowered.string("status") == "paid", "nothing left to pay is paid")
            let reopened = try await client.patch("/v1/invoices/\(id)", key: key, #"{"open_amount": 100}"#)
            #expect(reopened.string("status") == "open")

            let upsert = try await client.put("/v1/invoices/by-ref/INV-2", key: key, """
                {"customer_id": \(customer), "issued_on": "2025-02-01", "due_on": "2025-03-01", "amount": 5000, "currency": "JPY"}
                """)
            #expect(upsert.status == 201)
            let again = try await client.put("/v1/invoices/by-ref/INV-2", key: key, """
                {"customer_id": \(customer), "issued_on": "2025-02-01", "due_on": "2025-03-15", "amount": 5000, "currency": "JPY"}
                """)
            #expect(again.status == 200)
            #expect(again.string("due_on") == "2025-03-15")
            #expect(try await client.get("/v1/invoices/by-ref/INV-2", key: key).int("id") == upsert.int("id"))

            let due = try await client.get("/v1/invoices?due_before=2025-02-15&customer_id=\(customer)", key: key)
            #expect(due.ids == [id])
            #expect(try await client.get("/v1/invoices?currency=JPY", key: key).ids == [upsert.int("id")!])

            let backwards = try await client.post("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "INV-3", "issued_on": "2025-02-01", "due_on": "2025-01-01", "amount": 1, "currency": "EUR"}
                """)
            #expect(backwards.status == 422)
            #expect(backwards.errorFields == ["due_on"])
            let fractional = try await client.post("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "INV-3", "issued_on": "2025-02-01", "due_on": "2025-03-01", "amount": 12.5, "currency": "EUR"}
                """)
            #expect(fractional.status == 400, "money is integer minor units")
            let tooMuchOpen = try await client.patch("/v1/invoices/\(id)", key: key, #"{"open_amount": 999999999}"#)
            #expect(tooMuchOpen.status == 422)
            let badDate = try await client.patch("/v1/invoices/\(id)", key: key, #"{"due_on": "2025-02-30"}"#)
            #expect(badDate.status == 422)
            let paidByHand = try await client.patch("/v1/invoices/\(id)", key: key, #"{"status": "paid"}"#)
            #expect(paidByHand.status == 422)
            let duplicate = try await client.post("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "INV-1", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 1, "currency": "EUR"}
                """)
            #expect(duplicate.status == 409)
        }
    }

    @Test func paymentsReduceOpenAmountsAndMarkInvoicesPaid() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "X", "currency": "EUR"}"#)
            let older = try await client.create("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "A", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 10000, "currency": "EUR"}
                """)
            let newer = try await client.create("/v1/invoices", key: key, """
                {"customer_id": \(customer), "number": "B", "issued_on": "2025-02-01", "due_on": "2025-02-28", "amount": 5000, "currency": "EUR"}
                """)
            try await fixture.pool.query("UPDATE customers SET next_review_at = now() + interval '7 days'")

            let payment = try await client.post("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 12000, "currency": "EUR", "received_on": "2025-03-01", "reference": "BANK-1"}
                """)
            #expect(payment.status == 201)
            let allocations = payment.object["allocations"] as? [[String: Any]] ?? []
            #expect(allocations.count == 2)
            #expect(try await client.get("/v1/invoices/\(older)", key: key).string("status") == "paid")
            let rest = try await client.get("/v1/invoices/\(newer)", key: key)
            #expect(rest.int("open_amount") == 3000)
            let reviewSoon = try await fixture.pool.query("SELECT next_review_at <= now() FROM customers WHERE id = \(customer)")[0]
                .decode(Bool.self, at: 0)
            #expect(reviewSoon, "a payment puts the customer up for review at once")

            // The ERP re-sends the same payment, then a corrected amount: it lands once.
            let resent = try await client.put("/v1/payments/by-ref/BANK-1", key: key, """
                {"customer_id": \(customer), "amount": 12000, "currency": "EUR", "received_on": "2025-03-01"}
                """)
            #expect(resent.status == 200)
            #expect(try await client.get("/v1/invoices/\(newer)", key: key).int("open_amount") == 3000)
            let corrected = try await client.put("/v1/payments/by-ref/BANK-1", key: key, """
                {"customer_ref": "C-1", "amount": 15000, "currency": "EUR", "received_on": "2025-03-01"}
                """)
            #expect(corrected.status == 200)
            #expect(try await client.get("/v1/invoices/\(newer)", key: key).string("status") == "paid")
            #expect(try await client.get("/v1/payments?customer_id=\(customer)", key: key).ids.count == 1)

            let explicit = try await client.post("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 100, "currency": "EUR", "received_on": "2025-03-02",
                 "allocations": [{"invoice_id": \(older), "amount": 100}]}
                """)
            #expect(explicit.status == 422, "a paid invoice has nothing open")
            let tooMuch = try await client.post("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 100, "currency": "EUR", "received_on": "2025-03-02",
                 "allocations": [{"invoice_id": \(older), "amount": 200}]}
                """)
            #expect(tooMuch.status == 422)
            let credit = try await client.post("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 700, "currency": "EUR", "received_on": "2025-03-02"}
                """)
            #expect(credit.int("unallocated_amount") == 700)
            let moved = try await client.patch("/v1/payments/\(credit.int("id")!)", key: key, #"{"received_on": "2025-03-03", "reference": "BANK-2"}"#)
            #expect(moved.string("reference") == "BANK-2")
            #expect(try await client.patch("/v1/payments/\(credit.int("id")!)", key: key, #"{"amount": 5}"#).status == 400)
            #expect(try await client.get("/v1/payments?reference=BANK-2", key: key).ids == [credit.int("id")!])
            #expect(try await client.post("/v1/payments", key: key, """
                {"customer_id": \(customer), "amount": 0, "currency": "EUR", "received_on": "2025-03-02"}
                """).status == 422)
        }
    }
}
