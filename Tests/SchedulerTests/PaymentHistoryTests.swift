import Dunning
import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// The payment history a decision judges follows the payments however they change: an invoice
/// counts as paid on the day its last payment arrived, a corrected payment date moves it, and a
/// payment taken back takes it out of the history.
@Suite struct PaymentHistoryTests {
    func paidHistory(_ pool: PostgresPool, _ book: Book) async throws -> [String: String] {
        let loaded = try await pool.withConnection {
            try await ReviewStore().customers(ofTenant: book.tenantID, limit: 10, now: Instant.parse("2025-03-12T09:00:00Z"), on: $0)
        }
        return Dictionary(uniqueKeysWithValues: loaded[0].snapshot.paidInvoices.map { ($0.number, $0.paidOn.description) })
    }

    @Test("an invoice is paid on the day of its last payment; a corrected date moves it; a payment taken back reopens it")
    func historyFollowsPayments() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            try await book.paidInvoice(customer, "INV-1", due: "2025-01-10", paid: "2025-01-08")
            #expect(try await paidHistory(pool, book) == ["INV-1": "2025-01-08"])

            // Paid in two instalments: the second one settles it.
            try await pool.query("""
                WITH invoice AS (
                    INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status)
                    VALUES (\(book.tenantID), \(customer), 'INV-2', '2025-01-01', '2025-02-01', 50000, 0, 'EUR', 'paid')
                    RETURNING id),
                payment AS (
                    INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on, reference)
                    VALUES (\(book.tenantID), \(customer), 20000, 'EUR', '2025-02-03', 'part-1'),
                           (\(book.tenantID), \(customer), 30000, 'EUR', '2025-02-17', 'part-2')
                    RETURNING id, amount)
                INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
                SELECT \(book.tenantID), payment.id, invoice.id, payment.amount FROM payment, invoice
                """)
            #expect(try await paidHistory(pool, book) == ["INV-1": "2025-01-08", "INV-2": "2025-02-17"])

            try await pool.query("UPDATE payments SET received_on = '2025-02-20' WHERE reference = 'pay-INV-1'")
            #expect(try await paidHistory(pool, book) == ["INV-1": "2025-02-20", "INV-2": "2025-02-17"])

            // The second instalment is taken back and the invoice reopens: only the first one is left.
            try await pool.query("DELETE FROM payments WHERE reference = 'part-2'")
            try await pool.query("UPDATE invoices SET open_amount = 30000, status = 'open' WHERE number = 'INV-2'")
            #expect(try await paidHistory(pool, book) == ["INV-1": "2025-02-20"])
            let paidOn = try await pool.query("SELECT paid_on::text FROM invoices WHERE number = 'INV-2'")[0].decode(String.self, at: 0)
            #expect(paidOn == "2025-02-03")
        }
    }
}
