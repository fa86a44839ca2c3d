import Dunning
import Foundation
import Postgres

/// A tenant's book written straight into the database, so each test reads as the situation it sets up.
struct Book {
    let pool: PostgresPool
    let tenantID: Int64

    static func create(_ pool: PostgresPool, slug: String = "acme", policy: String? = nil) async throws -> Book {
        let tenant = try await pool.query("INSERT INTO tenants (slug, name) VALUES (\(slug), 'Acme') RETURNING id")[0]
            .decode(Int64.self, at: 0)
        if let policy {
            try await pool.query("INSERT INTO policies (tenant_id, document) VALUES (\(tenant), \(PostgresJSON(policy)))")
        }
        return Book(pool: pool, tenantID: tenant)
    }

    /// A customer with one working contact unless told otherwise; due for review at once.
    @discardableResult
    func customer(
        _ reference: String, zone: String = "Europe/Berlin", keyAccount: Bool = false, consumer: Bool = false,
        owner: String? = nil, contacts: [(email: String, status: String)] = [("ap@customer.example", "valid")]
    ) async throws -> Int64 {
        let id = try await pool.query("""
            INSERT INTO customers (tenant_id, external_ref, name, currency, time_zone, is_key_account, is_consumer,
                                   account_owner_email, next_review_at)
            VALUES (\(tenantID), \(reference), \(reference), 'EUR', \(zone), \(keyAccount), \(consumer), \(owner), '-infinity')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        for contact in contacts {
            try await pool.query("""
                INSERT INTO contacts (tenant_id, customer_id, email, status) VALUES (\(tenantID), \(id), \(contact.email), \(contact.status))
                """)
        }
        return id
    }

    @discardableResult
    func invoice(_ customer: Int64, _ number: String, due: String, eur amount: String, disputed: Bool = false) async throws -> Int64 {
        let minor = try Money(parsing: amount, currency: "EUR").minorUnits
        let dueOn = PostgresDate(due)!
        return try await pool.query("""
            INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status)
            VALUES (\(tenantID), \(customer), \(number), \(dueOn)::date - 30, \(dueOn), \(minor), \(minor), 'EUR',
                    \(disputed ? "disputed" : "open"))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    /// An invoice settled in full by one payment received on `paid`.
    func paidInvoice(_ customer: Int64, _ number: String, due: String, paid: String) async throws {
        let dueOn = PostgresDate(due)!
        try await pool.query("""
            WITH invoice AS (
                INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status)
                VALUES (\(tenantID), \(customer), \(number), \(dueOn)::date - 30, \(dueOn), 50000, 0, 'EUR', 'paid')
                RETURNING id),
            payment AS (
                INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on, reference)
                VALUES (\(tenantID), \(customer), 50000, 'EUR', \(PostgresDate(paid)!), \("pay-" + number))
                RETURNING id)
            INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
            SELECT \(tenantID), payment.id, invoice.id, 50000 FROM payment, invoice
            """)
    }

    @discardableResult
    func promise(_ customer: Int64, on date: String, eur amount: String? = nil, status: String = "active",
                 resolvedAt: Date? = nil) async throws -> Int64 {
        let minor = try amount.map { try Money(parsing: $0, currency: "EUR").minorUnits }
        return try await pool.query("""
            INSERT INTO promises (tenant_id, customer_id, promised_on, amount, currency, status, resolved_at)
            VALUES (\(tenantID), \(customer), \(PostgresDate(date)!), \(minor), \(minor == nil ? nil : "EUR"), \(status), \(resolvedAt))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    /// What the agents already did, as the customer row records it.
    func lastOutreach(_ customer: Int64, at sentAt: Date, stage: String) async throws {
        try await pool.query("""
            UPDATE customers SET last_outreach_at = \(sentAt), last_outreach_stage = \(stage)
             WHERE tenant_id = \(tenantID) AND id = \(customer)
            """)
    }

    /// Puts every customer of the book up for review again.
    func makeAllDue() async throws {
        try await pool.query("UPDATE customers SET next_review_at = '-infinity' WHERE tenant_id = \(tenantID)")
    }
}

enum Instant {
    /// `2025-03-12T09:00:00Z`
    static func parse(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// 09:00 in Berlin on a day before the clocks change on 30 March 2025.
    static func berlinMorning(_ day: String) -> Date { parse(day + "T08:00:00Z") }
}
