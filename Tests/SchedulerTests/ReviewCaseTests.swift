import Dunning
import Foundation
import Postgres
import TestSupport
import Testing

/// The cases the dunning brain must get right, end to end through the database: the book is
/// written as rows, `arrears plan` (the dry run) decides from what the store loads, and the
/// scheduler's review enqueues exactly the planned actions as agent tasks and writes the level,
/// the next review, the activity and an audit event with the plan's reasons.
@Suite struct ReviewCaseTests {
    typealias Task = Reviews.QueuedTask

    /// Plans `reference` on `day`, reviews everyone due at 09:00 Berlin that day (the window's
    /// opening, where the plan decides too), and checks the scheduler did what the plan said.
    func reviewMatchingPlan(_ pool: PostgresPool, _ id: Int64, _ reference: String, on day: String) async throws -> (Decision, [Task]) {
        let plan = try await Reviews.planned(pool, on: day, customer: reference)
        let before = try await Reviews.tasks(pool, customer: id).count
        _ = try await Reviews.run(pool, at: Instant.berlinMorning(day))
        let tasks = Array(try await Reviews.tasks(pool, customer: id).dropFirst(before))
        #expect(tasks.map { [$0.kind] + $0.payload.invoices } == plan.actions.map { [$0.kind.rawValue] + $0.invoices })
        #expect(tasks.allSatisfy { $0.payload.customer == reference && $0.payload.escalation_level == plan.escalationLevel })
        let audit = try await Reviews.auditEvents(pool, customer: id).last
        #expect(audit == Reviews.AuditEvent(actor: "scheduler", action: "review", reasons: plan.reasons, scheduler: "test-scheduler"))
        let stored = try await Reviews.customer(pool, id)
        #expect(stored.escalationLevel == plan.escalationLevel)
        #expect(stored.nextReviewAt == plan.nextReviewAt)
        return (plan, tasks)
    }

    @Test("five invoices paid on time and one 120-day-old €120 invoice: a gentle reminder, never escalation")
    func goodPayerWithSmallOldInvoice() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            for (number, due, paid) in [("INV-1", "2024-04-10", "2024-04-08"), ("INV-2", "2024-06-10", "2024-06-10"),
                                        ("INV-3", "2024-08-10", "2024-08-01"), ("INV-4", "2024-10-10", "2024-10-09"),
                                        ("INV-5", "2024-12-10", "2024-12-05")] {
                try await book.paidInvoice(customer, number, due: due, paid: paid)
            }
            try await book.invoice(customer, "INV-6", due: "2024-11-12", eur: "120.00")

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(plan.escalationLevel == 0)
            #expect(plan.actions == [.outreach(stage: "reminder", tone: .friendly, invoices: ["INV-6"], optOutLineRequired: false)])
            #expect(plan.reasons.contains {
                $0.hasPrefix("EUR 120.00 overdue is within the small-balance tolerance of EUR 150.00 (3× for a good payment history)")
            })
            #expect(tasks.map(\.payload.stage) == ["reminder"])
            #expect(tasks.map(\.dedupeKey) == ["outreach:\(customer)"])
            let stored = try await Reviews.customer(pool, customer)
            #expect(stored.lastOutreachStage == "reminder" && stored.remindersWithoutReply == 1)
        }
    }

    @Test("a promise to pay next week: no reminders until the promised date, then verification")
    func promiseNextWeek() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            try await book.invoice(customer, "INV-1", due: "2025-02-10", eur: "1200.00")
            try await book.invoice(customer, "INV-2", due: "2025-02-25", eur: "800.00")
            let promise = try await book.promise(customer, on: "2025-03-17", eur: "2000.00")
            try await book.lastOutreach(customer, at: Instant.berlinMorning("2025-03-03"), stage: "firm")

            let (waiting, none) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(waiting.actions.isEmpty && none.isEmpty)
            #expect(waiting.nextReviewOn == CalendarDate("2025-03-19"))
            #expect(waiting.reasons.last == "promise to pay EUR 2,000.00 by 2025-03-17: no reminders about it until it is checked on 2025-03-19")

            // Nobody is due before then; on the 19th the promise is checked.
            #expect(try await Reviews.run(pool, at: Instant.berlinMorning("2025-03-18")).customers == 0)
            let (checking, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-19")
            #expect(checking.actions == [.promiseVerification(invoices: ["INV-1", "INV-2"])])
            #expect(tasks.map(\.payload.promise_id) == [promise])
            #expect(tasks.map(\.dedupeKey) == ["promise_verification:\(customer):\(promise)"])
        }
    }

    @Test("a broken promise: outreach resumes a stage firmer, the level rises, the owner hears")
    func brokenPromise() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1", owner: "owner@acme.example")
            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "1500.00")
            try await book.promise(customer, on: "2025-03-03", status: "broken", resolvedAt: Instant.berlinMorning("2025-03-05"))
            try await book.lastOutreach(customer, at: Instant.berlinMorning("2025-02-28"), stage: "firm")

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(plan.actions == [
                .outreach(stage: "final", tone: .urgent, invoices: ["INV-1"], optOutLineRequired: false),
                .escalation(level: 1, invoices: ["INV-1"]),
                .notifyOwner(invoices: ["INV-1"]),
            ])
            #expect(tasks.map(\.payload.level) == [nil, 1, nil])
            let stored = try await Reviews.customer(pool, customer)
            #expect(stored.escalationLevel == 1)
            #expect(stored.lastOutreachStage == "final")
            #expect(stored.ownerNotifiedAt == Instant.berlinMorning("2025-03-12"))
        }
    }

    @Test("one invoice disputed, two others overdue: outreach covers only the two")
    func disputedInvoiceExcluded() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            try await book.invoice(customer, "INV-1", due: "2025-02-10", eur: "3000.00", disputed: true)
            let second = try await book.invoice(customer, "INV-2", due: "2025-02-20", eur: "400.00")
            let third = try await book.invoice(customer, "INV-3", due: "2025-02-25", eur: "600.00")
            // The same through an open dispute naming the invoice, its status left open.
            let other = try await book.customer("C-2")
            let contested = try await book.invoice(other, "INV-7", due: "2025-02-10", eur: "3000.00")
            try await book.invoice(other, "INV-8", due: "2025-02-20", eur: "400.00")
            try await pool.query("""
                INSERT INTO disputes (tenant_id, customer_id, invoice_ids, reason) VALUES (\(book.tenantID), \(other), \([contested]), 'wrong quantity')
                """)

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(plan.actions == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-2", "INV-3"], optOutLineRequired: false)])
            #expect(plan.reasons.contains("INV-1 is disputed and excluded from chasing"))
            #expect(tasks.map(\.payload.invoice_ids) == [[second, third]])

            let otherTasks = try await Reviews.tasks(pool, customer: other)
            #expect(otherTasks.map(\.payload.invoices) == [["INV-8"]])
        }
    }

    @Test("the only contact bounced: contact discovery first, no outreach to the dead address nor to a proposed one")
    func bouncedContact() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1", contacts: [("ap@customer.example", "bounced")])
            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "800.00")
            // An address on the suppression list after a hard bounce counts as bounced too.
            let suppressed = try await book.customer("C-2", contacts: [("AP@Other.example", "valid")])
            try await book.invoice(suppressed, "INV-2", due: "2025-02-20", eur: "800.00")
            try await pool.query("INSERT INTO suppressions (tenant_id, email, reason) VALUES (\(book.tenantID), 'ap@other.example', 'hard_bounce')")
            // An address an agent only proposed is not one to write to until a person approves it.
            let proposed = try await book.customer("C-3", contacts: [("ap@third.example", "bounced"), ("new@third.example", "proposed")])
            try await book.invoice(proposed, "INV-3", due: "2025-02-20", eur: "800.00")

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(plan.actions == [.contactDiscovery(invoices: ["INV-1"])])
            #expect(tasks.map(\.kind) == ["contact_discovery"])
            let stored = try await Reviews.customer(pool, customer)
            #expect(stored.contactDiscoveryAt == Instant.berlinMorning("2025-03-12"))
            #expect(stored.lastOutreachStage == nil)
            #expect(try await Reviews.tasks(pool, customer: suppressed).map(\.kind) == ["contact_discovery"])
            #expect(try await Reviews.tasks(pool, customer: proposed).map(\.kind) == ["contact_discovery"])
        }
    }

    @Test("a key account with a large total overdue: the account owner is involved before the final stage")
    func keyAccountLargeTotal() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1", keyAccount: true, owner: "owner@acme.example")
            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "10000.00")
            try await book.invoice(customer, "INV-2", due: "2025-02-25", eur: "12000.00")
            try await book.invoice(customer, "INV-3", due: "2025-03-01", eur: "8000.00")

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            let all = ["INV-1", "INV-2", "INV-3"]
            #expect(plan.escalationLevel == 2)
            #expect(plan.actions == [
                .outreach(stage: "firm", tone: .firm, invoices: all, optOutLineRequired: false),
                .escalation(level: 2, invoices: all),
                .notifyOwner(invoices: all),
            ])
            #expect(plan.reasons.last == "account owner involved: key account with EUR 30,000.00 overdue (threshold EUR 10,000.00)")
            let owner = try await pool.query("SELECT payload->>'owner_email' FROM tasks WHERE kind = 'notify_owner'")[0]
                .decode(String.self, at: 0)
            #expect(owner == "owner@acme.example")
            #expect(tasks.map(\.dedupeKey) == [
                "outreach:\(customer)", "escalation:\(customer):2", "notify_owner:\(customer)",
            ])
        }
    }

    @Test("many small overdue invoices that add up: escalation on the total, not on any single one")
    func smallInvoicesAddUp() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            let dues = ["2025-02-15", "2025-02-18", "2025-02-20", "2025-02-22", "2025-02-24",
                        "2025-02-26", "2025-02-28", "2025-03-03", "2025-03-06"]
            for (index, due) in dues.enumerated() {
                try await book.invoice(customer, "INV-\(index + 1)", due: due, eur: "650.00")
            }

            let (plan, tasks) = try await reviewMatchingPlan(pool, customer, "C-1", on: "2025-03-12")
            #expect(plan.escalationLevel == 1)
            #expect(plan.reasons.contains("total overdue EUR 5,850.00 reached the level 1 threshold of EUR 5,000.00"))
            #expect(tasks.map(\.kind) == ["outreach", "escalation"])
            #expect(tasks.last?.payload.invoices.count == 9)
        }
    }

    @Test("customers in three time zones: nothing is sent in quiet hours or on non-business days")
    func threeTimeZones() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            var customers: [String: Int64] = [:]
            for zone in ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Los_Angeles"] {
                let id = try await book.customer(zone, zone: zone)
                try await book.invoice(id, "INV-\(zone)", due: "2025-02-20", eur: "800.00")
                customers[zone] = id
            }

            // Friday 22:30 UTC: Friday night in Berlin and New York, Saturday morning in Tokyo,
            // Friday afternoon in Los Angeles.
            let summary = try await Reviews.run(pool, at: Instant.parse("2025-03-14T22:30:00Z"))
            #expect(summary.customers == 4)
            for (zone, opening, why) in [
                ("Europe/Berlin", "2025-03-17T08:00:00Z", "it is Friday 23:30 in Europe/Berlin and after 17:00"),
                ("America/New_York", "2025-03-17T13:00:00Z", "it is Friday 18:30 in America/New_York and after 17:00"),
                ("Asia/Tokyo", "2025-03-17T00:00:00Z", "it is Saturday 07:30 in Asia/Tokyo and Saturday is not a business day"),
            ] {
                let id = customers[zone]!
                #expect(try await Reviews.tasks(pool, customer: id).isEmpty, "\(zone)")
                #expect(try await Reviews.customer(pool, id).nextReviewAt == Instant.parse(opening), "\(zone)")
                let reasons = try await Reviews.auditEvents(pool, customer: id).last?.reasons
                #expect(reasons?.last == "stage firm reminder deferred: \(why); the send window opens Monday 2025-03-17 09:00")
            }
            #expect(try await Reviews.tasks(pool, customer: customers["America/Los_Angeles"]!).map(\.kind) == ["outreach"])

            // Monday at each window's opening, each customer gets its reminder.
            for (zone, opening) in [("Asia/Tokyo", "2025-03-17T00:00:00Z"), ("Europe/Berlin", "2025-03-17T08:00:00Z"),
                                    ("America/New_York", "2025-03-17T13:00:00Z")] {
                _ = try await Reviews.run(pool, at: Instant.parse(opening))
                #expect(try await Reviews.tasks(pool, customer: customers[zone]!).map(\.kind) == ["outreach"], "\(zone)")
            }
        }
    }
}
