import Dunning
import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// Isolation below the API: the application role, in SQL, sees only its tenant's rows, and the
/// store's own statements scope by tenant as well.
@Suite struct IsolationTests {
    @Test func theApplicationRoleSeesOnlyItsTenantsIdempotencyKeysAndBook() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let first = try await store.createTenant(slug: "first-co", name: "First").0.id
            let second = try await store.createTenant(slug: "second-co", name: "Second").0.id
            for tenant in [first, second] {
                _ = try await store.claimIdempotencyKey(scope: tenant, key: "same-key", requestHash: Data(repeating: 1, count: 32))
                _ = try await store.withTenant(tenant, actor: "test") { book in
                    try await book.upsertCustomer(externalRef: "C-1", {
                        var changes = CustomerChanges()
                        changes.name = .set("Customer of \(tenant)")
                        changes.currency = .set("EUR")
                        return changes
                    }())
                }
            }
            let seen = try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                (try await connection.query("SELECT DISTINCT tenant_id FROM idempotency_keys").map { try $0.decode(Int64.self, at: 0) },
                 try await connection.query("SELECT DISTINCT tenant_id FROM customers").map { try $0.decode(Int64.self, at: 0) },
                 try await connection.query("SELECT DISTINCT tenant_id FROM audit_events").map { try $0.decode(Int64.self, at: 0) })
            }
            #expect(seen.0 == [first])
            #expect(seen.1 == [first])
            #expect(seen.2 == [first])

            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                    try await connection.query("""
                        INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES (\(second), 'x', \(Data(repeating: 0, count: 32)))
                        """)
                }
            }
            #expect(error?.sqlState == "42501")
            let keys = try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                try await connection.query("SELECT count(*) FROM api_keys")[0].decode(Int.self, at: 0)
            }
            #expect(keys == 1, "only the tenant's own key")
            let deleted = try await pool.withTenantTransaction(tenantID: first, role: "arrears_app") { connection in
                try await connection.query("DELETE FROM idempotency_keys WHERE tenant_id = \(second)").affectedRows
            }
            #expect(deleted == 0)
        }
    }

    @Test func aTenantTransactionCannotReachAnotherTenantsObjectsById() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let first = try await store.createTenant(slug: "first-co", name: "First").0.id
            let second = try await store.createTenant(slug: "second-co", name: "Second").0.id
            var changes = CustomerChanges()
            changes.name = .set("Mine")
            changes.currency = .set("EUR")
            let customer = try await store.withTenant(first, actor: "test") { try await $0.createCustomer(externalRef: "C-1", changes) }
            try await store.withTenant(second, actor: "test") { (book) async throws -> Void in
                #expect(try await book.customer(id: customer.id) == nil)
                var rename = CustomerChanges()
                rename.name = .set("Taken")
                #expect(try await book.updateCustomer(id: customer.id, rename) == nil)
                #expect(try await book.customers(CustomerFilter(), page: PageRequest()).items.isEmpty)
            }
            let name = try await store.withTenant(first, actor: "test") { try await $0.customer(id: customer.id)?.name }
            #expect(name == "Mine")
        }
    }

    @Test func changedInvoicesAndPaymentsPutTheCustomerUpForReview() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let tenant = try await store.createTenant(slug: "first-co", name: "First").0.id
            var changes = CustomerChanges()
            changes.name = .set("Buyer")
            changes.currency = .set("EUR")
            let customer = try await store.withTenant(tenant, actor: "test") { try await $0.createCustomer(externalRef: "C-1", changes) }
            func postpone() async throws {
                try await pool.query("UPDATE customers SET next_review_at = now() + interval '30 days'")
            }
            func due() async throws -> Bool {
                try await pool.query("SELECT next_review_at <= now() FROM customers WHERE id = \(customer.id)")[0].decode(Bool.self, at: 0)
            }
            try await postpone()
            _ = try await store.withTenant(tenant, actor: "test") { book in
                try await book.importCSV(.invoices, Array("customer_ref,number,issued_on,due_on,amount,currency\nC-1,A,2025-01-01,2025-01-31,10.00,EUR\n".utf8))
            }
            #expect(try await due(), "an imported invoice")
            try await postpone()
            _ = try await store.withTenant(tenant, actor: "test") { book in
                try await book.recordPayment(NewPayment(customerID: customer.id, amount: 500, currency: "EUR",
                                                        receivedOn: .init("2025-02-01")!))
            }
            #expect(try await due(), "a payment")
        }
    }
}
