import Dunning
import Foundation
import Postgres

/// A synthetic book for `arrears bench scheduler`, generated set-based (`INSERT … SELECT` over
/// `generate_series`, a statement per table) and deterministic: every attribute follows from the
/// customer's id, so runs compare.
///
/// Per customer: `invoicesPerCustomer` invoices a month apart, the newest around its due date; for
/// four customers in five the invoices older than two months are paid (a year of history, some
/// late), the fifth owes them all (the oldest ~4 months overdue, so it escalates); one contact
/// (every 23rd bounced); a reminder sent in the last 20 days for two in three; every 11th with an
/// active promise, 13th a key account, 17th with a disputed invoice, 29th a consumer; eight in ten
/// in time zones whose send window is open at the benchmark's instant.
public struct SyntheticBook: Sendable {
    public var customers: Int
    public var tenants: Int
    public var invoicesPerCustomer: Int

    /// Wednesday 12 March 2025, 14:00 UTC: afternoon in Europe, morning in the Americas.
    public static let reviewInstant = CalendarDate(year: 2025, month: 3, day: 12)!
        .instant(at: TimeOfDay(hour: 14, minute: 0)!, in: TimeZone(identifier: "UTC")!)

    public init(customers: Int, tenants: Int, invoicesPerCustomer: Int) {
        self.customers = customers
        self.tenants = tenants
        self.invoicesPerCustomer = invoicesPerCustomer
    }

    /// What was generated.
    public struct Counts: Sendable {
        public var customers = 0
        public var invoices = 0
        public var openInvoices = 0
        public var payments = 0
    }

    /// Fills an empty, migrated database. Customers are stored tenant by tenant, as imports leave
    /// them; the review triggers are off while it loads (every customer is due anyway), and so are
    /// foreign-key checks where the role may turn them off (a superuser); the children of the
    /// customers load on `parallelism` connections, a share of the tenants each; the tables are
    /// analysed afterwards.
    public func generate(into pool: PostgresPool, parallelism: Int = 2) async throws -> Counts {
        let now = Self.reviewInstant
        let today = PostgresDate(daysSinceUnixEpoch: Int64(LocalDateTime(now, in: TimeZone(identifier: "UTC")!).date.daysSinceEpoch))
        // The review triggers, and the allocations' upkeep of `invoices.paid_on`, which the
        // generator writes itself.
        let watched = ["invoices", "payments", "payment_allocations", "promises", "contacts"]
        try await pool.withConnection { connection in
            for table in watched { try await connection.simpleQuery("ALTER TABLE \(table) DISABLE TRIGGER USER") }
            try await connection.query("""
                INSERT INTO tenants (slug, name)
                SELECT 'bench-' || t, 'Bench tenant ' || t FROM generate_series(1, \(tenants)) AS t
                """)
            try await connection.query("""
                INSERT INTO customers (tenant_id, external_ref, name, currency, time_zone, is_key_account, is_consumer,
                                       last_outreach_at, last_outreach_stage, next_review_at)
                SELECT (SELECT min(id) FROM tenants) + (g - 1) * \(tenants) / \(customers), 'C-' || g, 'Customer ' || g,
                       (ARRAY['EUR', 'EUR', 'EUR', 'EUR', 'USD', 'GBP'])[(1 + g % 6)::int],
                       (ARRAY['Europe/Berlin', 'Europe/Berlin', 'Europe/Berlin', 'Europe/London', 'Europe/London',
                              'America/New_York', 'America/New_York', 'America/Sao_Paulo', 'America/Los_Angeles',
                              'Asia/Tokyo'])[(1 + g % 10)::int],
                       g % 13 = 0, g % 29 = 0,
                       CASE WHEN g % 3 <> 0 THEN \(now) - (1 + g % 20) * interval '1 day' END,
                       CASE WHEN g % 3 <> 0 THEN 'firm' END,
                       \(now) - (g % 86400) * interval '1 second'
                  FROM generate_series(1, \(customers)) AS g
                """)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<parallelism {
                group.addTask {
                    try await pool.withConnection { connection in
                        try await Self.withoutForeignKeyChecks(on: connection) {
                            try await generateChildren(share: part, of: parallelism, today: today, on: connection)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await pool.withConnection { connection in
            for table in watched { try await connection.simpleQuery("ALTER TABLE \(table) ENABLE TRIGGER USER") }
            try await connection.simpleQuery("VACUUM ANALYZE")
        }
        return try await counts(in: pool)
    }

    private func counts(in pool: PostgresPool) async throws -> Counts {
        let row = try await pool.query("""
            SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM invoices),
                   (SELECT count(*) FROM invoices WHERE open_amount > 0), (SELECT count(*) FROM payments)
            """)[0]
        let (customerCount, invoiceCount, openCount, paymentCount) = try row.decode((Int, Int, Int, Int).self)
        return Counts(customers: customerCount, invoices: invoiceCount, openInvoices: openCount, payments: paymentCount)
    }

    /// Puts a book generated earlier back as it was before its review: the customers' review state
    /// as generated, no tasks, no audit events. Returns nil when the database holds no such book.
    public func resetReview(in pool: PostgresPool) async throws -> Counts? {
        let existing = try await counts(in: pool)
        guard existing.customers == customers, existing.invoices == customers * invoicesPerCustomer else { return nil }
        let now = Self.reviewInstant
        try await pool.withConnection { connection in
            try await connection.simpleQuery("TRUNCATE tasks, audit_events")
            // The generator numbered customers 1…n in id order; the same formulas restore them.
            try await connection.query("""
                UPDATE customers AS c SET escalation_level = 0, reminders_without_reply = 0,
                       last_contact_discovery_at = NULL, last_owner_notification_at = NULL,
                       last_outreach_at = CASE WHEN g.g % 3 <> 0 THEN \(now) - (1 + g.g % 20) * interval '1 day' END,
                       last_outreach_stage = CASE WHEN g.g % 3 <> 0 THEN 'firm' END,
                       next_review_at = \(now) - (g.g % 86400) * interval '1 second'
                  FROM (SELECT id, substr(external_ref, 3)::bigint AS g FROM customers) AS g
                 WHERE c.id = g.id
                """)
            try await connection.simpleQuery("VACUUM ANALYZE customers, tasks, audit_events")
        }
        return existing
    }

    /// Contacts, invoices, payments with their allocations, and promises of the customers of every
    /// `parts`-th tenant.
    private func generateChildren(share part: Int, of parts: Int, today: PostgresDate, on connection: PostgresConnection) async throws {
        let mine: PostgresQuery = " tenant_id % \(parts) = \(part)"
        try await connection.query("""
            INSERT INTO contacts (tenant_id, customer_id, email, is_primary, status, source)
            SELECT tenant_id, id, 'ap@customer' || id || '.example', true,
                   CASE WHEN id % 23 = 0 THEN 'bounced' ELSE 'valid' END, 'import'
              FROM customers WHERE
            """ + mine)
        try await connection.query("""
            INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status,
                                  paid_on)
            SELECT c.tenant_id, c.id, 'INV-' || c.id || '-' || n, i.due_on - 30, i.due_on, i.amount,
                   CASE WHEN i.paid THEN 0 ELSE i.amount END, c.currency,
                   CASE WHEN i.paid THEN 'paid' WHEN n = 2 AND c.id % 17 = 0 THEN 'disputed' ELSE 'open' END,
                   CASE WHEN i.paid THEN i.due_on + ((c.id * 7 + n * 11) % 25)::int - 5 END
              FROM (SELECT * FROM customers WHERE
            """ + mine + """
                   ) AS c
             CROSS JOIN generate_series(1, \(invoicesPerCustomer)) AS n
             CROSS JOIN LATERAL (SELECT \(today)::date + 10 - 30 * (n - 1)::int - (c.id % 20)::int AS due_on,
                                        (5000 + (c.id * 31 + n * 17) % 900000)::bigint AS amount,
                                        n >= 3 AND c.id % 5 <> 0 AS paid) AS i
            """)
        // One payment per paid invoice, on the day it was paid: between 5 days early and 19 days
        // late; its reference names the invoice, so the allocation needs no join.
        try await connection.query("""
            WITH paid AS (
                INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on, reference)
                SELECT tenant_id, customer_id, amount, currency, paid_on, 'P-' || id
                  FROM invoices WHERE status = 'paid' AND
            """ + mine + """
                RETURNING tenant_id, id, amount, reference)
            INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
            SELECT tenant_id, id, substr(reference, 3)::bigint, amount FROM paid
            """)
        try await connection.query("""
            INSERT INTO promises (tenant_id, customer_id, promised_on, status)
            SELECT tenant_id, id, \(today)::date + (id % 10)::int - 5, 'active' FROM customers WHERE id % 11 = 0 AND
            """ + mine)
    }

    /// Foreign keys are checked row by row, a third of the load; a superuser may skip them (the book
    /// is consistent by construction). Anyone else loads with them. The connection goes back to the
    /// pool as it came.
    private static func withoutForeignKeyChecks(on connection: PostgresConnection, _ body: () async throws -> Void) async throws {
        try await connection.simpleQuery("""
            DO $$ BEGIN SET session_replication_role = replica; EXCEPTION WHEN insufficient_privilege THEN NULL; END $$
            """)
        do {
            try await body()
        } catch {
            try? await connection.simpleQuery("RESET session_replication_role")
            throw error
        }
        try await connection.simpleQuery("RESET session_replication_role")
    }
}
