import Foundation
import Postgres
import TestSupport
import Testing

/// Task payloads and audit details are written by hand; any reference or address survives them.
@Suite struct PayloadTests {
    @Test("quotes, backslashes, tabs, control characters and non-ASCII in references reach the agents unchanged")
    func awkwardText() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let reference = "O'Brien \"&\" Söhne\tGmbH \\ 1\u{1}\u{1F}"
            let customer = try await book.customer(reference, contacts: [("\"quo\u{1F}ted\"@müller.example", "bounced")])
            try await book.invoice(customer, "INV-\"1\"\\", due: "2025-02-20", eur: "800.00")
            _ = try await Reviews.run(pool, at: Instant.berlinMorning("2025-03-12"))

            let task = try #require(try await Reviews.tasks(pool, customer: customer).first)
            #expect(task.kind == "contact_discovery")
            #expect(task.payload.customer == reference)
            #expect(task.payload.invoices == ["INV-\"1\"\\"])
            let (detailsCustomerInvoices, reasons) = try await pool.query("""
                SELECT details->'actions'->0->'invoices'->>0, reasons FROM audit_events WHERE customer_id = \(customer)
                """)[0].decode((String, [String]).self)
            #expect(detailsCustomerInvoices == "INV-\"1\"\\")
            // The unit separator delimits reasons on their way to the audit log; inside one it becomes a space.
            #expect(reasons.last == "the only contact, \"quo ted\"@müller.example, bounced; nothing is sent to a dead address: "
                + "looking for a new contact before any outreach")
        }
    }
}
