import Foundation
import Postgres
import TestSupport
import Testing

/// A review that runs again — forced, after a crash, or by a second scheduler — never doubles work.
@Suite struct DedupeTests {
    /// Customers that each get some action on 19 March 2025: a reminder, a contact search, a
    /// promise check, an escalation with the owner told.
    func book(_ pool: PostgresPool) async throws -> Book {
        let book = try await Book.create(pool)
        let reminded = try await book.customer("C-1")
        try await book.invoice(reminded, "INV-1", due: "2025-02-20", eur: "800.00")
        let bounced = try await book.customer("C-2", contacts: [("gone@customer.example", "bounced")])
        try await book.invoice(bounced, "INV-2", due: "2025-02-20", eur: "800.00")
        let promised = try await book.customer("C-3")
        try await book.invoice(promised, "INV-3", due: "2025-02-20", eur: "800.00")
        try await book.promise(promised, on: "2025-03-14")
        let large = try await book.customer("C-4", keyAccount: true)
        try await book.invoice(large, "INV-4", due: "2025-02-20", eur: "30000.00")
        return book
    }

    @Test("reviewing the same customers twice enqueues nothing new")
    func reviewTwice() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await book(pool)
            let now = Instant.berlinMorning("2025-03-19")
            let first = try await Reviews.run(pool, at: now)
            #expect(first.customers == 4)
            let kinds = try await pool.query("SELECT kind FROM tasks ORDER BY kind").map { try $0.decode(String.self, at: 0) }
            #expect(kinds == ["contact_discovery", "escalation", "notify_owner", "outreach", "outreach", "promise_verification"])

            try await book.makeAllDue()
            let second = try await Reviews.run(pool, at: now)
            #expect(second.customers == 4)
            #expect(second.tasksEnqueued == 0)
            // What the first review recorded stops the repeats; the promise check, asked for at every
            // review until the promise is resolved, is the one the waiting task absorbs.
            #expect(second.tasksDeduplicated == 1)
            #expect(try await pool.query("SELECT count(*) FROM tasks")[0].decode(Int.self, at: 0) == kinds.count)
            #expect(try await pool.query("SELECT count(*) FROM audit_events WHERE actor = 'scheduler'")[0].decode(Int.self, at: 0) == 8)
        }
    }

    @Test("a re-run that has lost what was dispatched finds the waiting tasks instead of adding more")
    func reviewAfterLostActivity() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await book(pool)
            let now = Instant.berlinMorning("2025-03-19")
            let first = try await Reviews.run(pool, at: now)

            try await pool.query("""
                UPDATE customers SET escalation_level = 0, last_outreach_at = NULL, last_outreach_stage = NULL,
                       reminders_without_reply = 0, last_contact_discovery_at = NULL, last_owner_notification_at = NULL
                 WHERE tenant_id = \(book.tenantID)
                """)
            try await book.makeAllDue()
            let second = try await Reviews.run(pool, at: now)
            #expect(second.tasksEnqueued == 0)
            #expect(second.tasksDeduplicated == first.tasksEnqueued)
            #expect(try await pool.query("SELECT count(*) FROM tasks")[0].decode(Int.self, at: 0) == first.tasksEnqueued)
        }
    }

    @Test("a reminder due again while the last one still waits is not queued twice; once taken, the next one is")
    func waitingReminder() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "800.00")
            _ = try await Reviews.run(pool, at: Instant.berlinMorning("2025-03-12"))
            // A week later (the stage's repeat interval) with no worker having run: still one waiting.
            let stalled = try await Reviews.run(pool, at: Instant.berlinMorning("2025-03-19"))
            #expect(stalled.tasksEnqueued == 0 && stalled.tasksDeduplicated == 1)

            // A worker's claim moves the task out of the waiting table.
            try await pool.query("DELETE FROM tasks WHERE customer_id = \(customer)")
            let nextWeek = try await Reviews.run(pool, at: Instant.berlinMorning("2025-03-26"))
            #expect(nextWeek.tasksEnqueued == 1)
            // 34 days overdue by now: the next reminder is the final one.
            #expect(try await Reviews.tasks(pool, customer: customer).map(\.payload.stage) == ["final"])
        }
    }
}
