import Foundation
import Logging
import Postgres
import Scheduler
import TestSupport
import Testing

/// New invoices, payments, promises and replies make a customer due at once (the triggers of
/// 0005) and wake the scheduler. These run on the real clock, as the triggers use the server's.
@Suite struct ImmediateReviewTests {
    /// A customer reviewed just now, so its next review lies days ahead.
    func reviewedCustomer(_ pool: PostgresPool) async throws -> (Book, Int64) {
        let book = try await Book.create(pool)
        let customer = try await book.customer("C-1")
        #expect(try await Reviews.run(pool, at: Date()).customers == 1)
        #expect(try await Reviews.customer(pool, customer).nextReviewAt > Date().addingTimeInterval(3_600))
        return (book, customer)
    }

    @Test("an invoice, then a payment, each make the customer due at once")
    func invoiceAndPayment() async throws {
        try await withTestDatabase { pool, _ in
            let (book, customer) = try await reviewedCustomer(pool)

            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "800.00")
            #expect(try await Reviews.customer(pool, customer).nextReviewAt <= Date())
            #expect(try await Reviews.run(pool, at: Date()).customers == 1)

            try await pool.query("""
                INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on)
                VALUES (\(book.tenantID), \(customer), 80000, 'EUR', CURRENT_DATE)
                """)
            #expect(try await Reviews.customer(pool, customer).nextReviewAt <= Date())
            #expect(try await Reviews.run(pool, at: Date()).customers == 1)
            #expect(try await Reviews.auditEvents(pool, customer: customer).count == 3)
        }
    }

    @Test("a promise and an inbound reply make the customer due; the agents' outbound mail does not")
    func promiseAndReply() async throws {
        try await withTestDatabase { pool, _ in
            let (book, customer) = try await reviewedCustomer(pool)
            func isDue() async throws -> Bool { try await Reviews.customer(pool, customer).nextReviewAt <= Date() }

            try await pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, status)
                VALUES (\(book.tenantID), \(customer), 'outbound', '<out-1@arrears.example>', 'ar@acme.example', 'sent')
                """)
            #expect(try await !isDue())

            try await pool.query("""
                INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, status)
                VALUES (\(book.tenantID), \(customer), 'inbound', '<in-1@customer.example>', 'ap@customer.example', 'received')
                """)
            #expect(try await isDue())

            _ = try await Reviews.run(pool, at: Date())
            #expect(try await !isDue())
            try await book.promise(customer, on: "2025-03-17")
            #expect(try await isDue())
        }
    }

    @Test("a change to a customer's book notifies arrears_review")
    func notification() async throws {
        try await withTestDatabase { pool, database in
            let (book, customer) = try await reviewedCustomer(pool)
            let listener = PostgresListener(configuration: database.configuration(), channels: [SchedulerService.channel],
                                            logger: Logger(label: "test"))
            defer { listener.stop() }
            var events = listener.events.makeAsyncIterator()
            #expect(await events.next() == .connected)

            try await pool.query("""
                INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency)
                SELECT \(book.tenantID), \(customer), 'INV-' || n, DATE '2025-01-01', DATE '2025-02-01', 100, 100, 'EUR'
                  FROM generate_series(1, 50) AS n
                """)
            #expect(await events.next() == .notification(channel: SchedulerService.channel, payload: ""))
        }
    }

    @Test("the leading scheduler is woken by the notification, long before its next poll")
    func wakesTheScheduler() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            let customer = try await book.customer("C-1")
            var configuration = SchedulerService.Configuration(name: "woken")
            configuration.pollInterval = .seconds(600)
            let service = SchedulerService(pool: pool, configuration: configuration, logger: Logger(label: "test"))
            let running = Task { try await service.run() }
            defer { running.cancel() }

            try await eventually("the first review") { try await Reviews.auditEvents(pool, customer: customer).count == 1 }
            try await book.invoice(customer, "INV-1", due: "2025-02-20", eur: "800.00")
            try await eventually("the review the invoice asked for") {
                try await Reviews.auditEvents(pool, customer: customer).count == 2
            }
            // The service counts a batch after its transaction commits, so the audit row can be
            // seen a moment before the count moves.
            try await eventually("the service counts both reviews") { service.customersReviewed == 2 }
            running.cancel()
            _ = await running.result
        }
    }
}
