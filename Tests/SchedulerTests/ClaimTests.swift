import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// Two reviewers at once (a deposed leader finishing its batch, a new one starting) share the work.
@Suite struct ClaimTests {
    @Test("a customer another reviewer holds is skipped, not waited for, and reviewed once it is free")
    func heldCustomerSkipped() async throws {
        try await withTestDatabase { pool, database in
            let book = try await Book.create(pool)
            let held = try await book.customer("C-1")
            let free = try await book.customer("C-2")
            let now = Instant.berlinMorning("2025-03-12")

            let other = try await PostgresConnection.connect(database.configuration())
            try await other.simpleQuery("BEGIN")
            let claimed = try await ReviewStore().claim([CustomerKey(tenantID: book.tenantID, customerID: held)], dueAt: now, on: other)
            #expect(claimed.map(\.snapshot.profile.reference) == ["C-1"])

            let first = try await Reviews.run(pool, at: now)
            #expect(first.customers == 1)
            #expect(try await Reviews.auditEvents(pool, customer: free).count == 1)
            #expect(try await Reviews.auditEvents(pool, customer: held).isEmpty)

            try await other.simpleQuery("ROLLBACK")
            #expect(try await Reviews.run(pool, at: now).customers == 1)
            #expect(try await Reviews.auditEvents(pool, customer: held).count == 1)
        }
    }
}
