import Dunning
import Foundation
import Postgres

/// Loads everything a decision reads for a batch of customers: one statement per kind of row
/// (open invoices, paid history, promises, contacts) for the whole batch, joined on the batch's keys.
extension ReviewStore {
    func load(_ customerRows: PostgresRows, now: Date, on connection: PostgresConnection) async throws -> [CustomerUnderReview] {
        guard !customerRows.isEmpty else { return [] }
        var batch = BatchBuilder()
        for row in customerRows { try batch.addCustomer(row, zone: timeZone(named:)) }
        let tenants = batch.keys.map { $0.tenantID }
        let customers = batch.keys.map { $0.customerID }
        // Twelve months of history in any zone: a day's margin on the UTC date; Dunning trims exactly.
        let historyStart = PostgresDate(daysSinceUnixEpoch: Int64(
            LocalDateTime(now, in: TimeZone(identifier: "UTC")!).date.adding(months: -12).adding(days: -1).daysSinceEpoch))

        // Each kind of row is fetched per key through LATERAL (kept from being flattened into a join
        // by OFFSET 0 or a GROUP BY), so every lookup is an index probe on that customer's rows,
        // whatever the planner guesses about the batch or the tables.
        let invoices = try await connection.query("""
            SELECT k.tenant_id, k.customer_id, i.id, i.number, i.issued_on - DATE '1970-01-01',
                   i.due_on - DATE '1970-01-01', i.open_amount, i.currency,
                   i.status = 'disputed' OR EXISTS (
                       SELECT FROM disputes AS d
                        WHERE d.tenant_id = i.tenant_id AND d.customer_id = i.customer_id
                          AND d.status = 'open' AND i.id = ANY (d.invoice_ids))
              FROM unnest(\(tenants), \(customers)) AS k(tenant_id, customer_id)
             CROSS JOIN LATERAL (
                   SELECT * FROM invoices AS i
                    WHERE i.tenant_id = k.tenant_id AND i.customer_id = k.customer_id
                      AND i.open_amount > 0 AND i.status IN ('open', 'disputed')
                   OFFSET 0) AS i
            """)
        for row in invoices { try batch.addOpenInvoice(row) }

        // An invoice counts as paid on the day its last payment arrived (`paid_on`, kept by triggers),
        // read from an index that holds all this needs.
        let paid = try await connection.query("""
            SELECT k.tenant_id, k.customer_id, i.number, i.due_on - DATE '1970-01-01', i.paid_on - DATE '1970-01-01'
              FROM unnest(\(tenants), \(customers)) AS k(tenant_id, customer_id)
             CROSS JOIN LATERAL (
                   SELECT i.number, i.due_on, i.paid_on FROM invoices AS i
                    WHERE i.tenant_id = k.tenant_id AND i.customer_id = k.customer_id
                      AND i.open_amount = 0 AND i.paid_on IS NOT NULL AND i.status NOT IN ('void', 'written_off')
                      AND i.paid_on >= \(historyStart)
                   OFFSET 0) AS i
            """)
        for row in paid { try batch.addPaidInvoice(row) }

        let promises = try await connection.query("""
            SELECT k.tenant_id, k.customer_id, p.id, p.promised_on - DATE '1970-01-01', p.amount, p.currency,
                   p.status, p.resolved_at,
                   ARRAY(SELECT i.number FROM invoices AS i
                          WHERE i.tenant_id = p.tenant_id AND i.id = ANY (p.invoice_ids) ORDER BY i.number)
              FROM unnest(\(tenants), \(customers)) AS k(tenant_id, customer_id)
             CROSS JOIN LATERAL (
                   SELECT * FROM promises AS p
                    WHERE p.tenant_id = k.tenant_id AND p.customer_id = k.customer_id
                      AND (p.status = 'active'
                           OR (p.status = 'broken' AND coalesce(p.resolved_at::date, p.promised_on) >= \(historyStart)))
                    ORDER BY p.id
                   OFFSET 0) AS p
            """)
        for row in promises { try batch.addPromise(row) }

        // A suppressed address is as good as gone: a hard bounce counts as bounced, anything else as
        // an opt-out.
        let contacts = try await connection.query("""
            SELECT k.tenant_id, k.customer_id, c.email, c.status
              FROM unnest(\(tenants), \(customers)) AS k(tenant_id, customer_id)
             CROSS JOIN LATERAL (
                   SELECT c.email,
                          CASE WHEN s.reason = 'hard_bounce' THEN 'bounced' WHEN s.reason IS NOT NULL THEN 'opted_out'
                               ELSE c.status END AS status
                     FROM contacts AS c
                     LEFT JOIN suppressions AS s ON s.tenant_id = c.tenant_id AND s.email = lower(c.email)
                    WHERE c.tenant_id = k.tenant_id AND c.customer_id = k.customer_id
                    ORDER BY c.is_primary DESC, c.id
                   OFFSET 0) AS c
            """)
        for row in contacts { try batch.addContact(row) }

        return batch.finish()
    }
}

/// Rows of one batch gathered per customer.
private struct BatchBuilder {
    private(set) var keys: [CustomerKey] = []
    private var positions: [CustomerKey: Int] = [:]
    private var snapshots: [CustomerSnapshot] = []
    private var ownerEmails: [String?] = []
    private var invoiceIDs: [[String: Int64]] = []
    private var promiseIDs: [[Int64]] = []

    func finish() -> [CustomerUnderReview] {
        keys.indices.map { position in
            CustomerUnderReview(key: keys[position], snapshot: snapshots[position], invoiceIDs: invoiceIDs[position],
                                promiseIDs: promiseIDs[position], accountOwnerEmail: ownerEmails[position])
        }
    }

    mutating func addCustomer(_ row: PostgresRow, zone: (String) -> TimeZone) throws {
        let (tenant, id, reference, zoneName, keyAccount, consumer, status) =
            try row.decode((Int64, Int64, String, String, Bool, Bool, String).self)
        let pausedDay = try row.decode(Int?.self, at: 7)
        let ownerHandlingDay = try row.decode(Int?.self, at: 8)
        let level = try row.decode(Int.self, at: 9)
        let lastOutreachAt = try row.decode(Date?.self, at: 10)
        let lastOutreachStage = try row.decode(String?.self, at: 11)
        let unanswered = try row.decode(Int.self, at: 12)
        let lastDiscoveryAt = try row.decode(Date?.self, at: 13)
        let lastOwnerAt = try row.decode(Date?.self, at: 14)
        let ownerEmail = try row.decode(String?.self, at: 15)

        // Automated outreach waits while the customer is paused or its account owner handles it; a
        // pause without an end date lasts until someone lifts it.
        var pausedUntil = [pausedDay, ownerHandlingDay].compactMap { $0 }.max().map(CalendarDate.init(daysSinceEpoch:))
        if status == "paused", pausedDay == nil {
            pausedUntil = CalendarDate(year: 9999, month: 12, day: 31)
        }
        let profile = CustomerProfile(
            reference: reference, timeZone: zone(zoneName), isKeyAccount: keyAccount, isConsumer: consumer,
            doNotContact: status == "do_not_contact", pausedUntil: pausedUntil, escalationLevel: level)
        let activity = RecentActivity(
            lastOutreach: both(lastOutreachAt, lastOutreachStage).map { PastOutreach(sentAt: $0, stage: $1) },
            remindersWithoutReply: unanswered,
            lastContactDiscoveryAt: lastDiscoveryAt,
            lastOwnerNotificationAt: lastOwnerAt)
        let key = CustomerKey(tenantID: tenant, customerID: id)
        positions[key] = keys.count
        keys.append(key)
        snapshots.append(CustomerSnapshot(profile: profile, activity: activity))
        ownerEmails.append(ownerEmail)
        invoiceIDs.append([:])
        promiseIDs.append([])
    }

    mutating func addOpenInvoice(_ row: PostgresRow) throws {
        let (tenant, customer, id, number, issuedDay, dueDay, openAmount, currency, disputed) =
            try row.decode((Int64, Int64, Int64, String, Int, Int, Int64, String, Bool).self)
        guard let position = positions[CustomerKey(tenantID: tenant, customerID: customer)] else { return }
        snapshots[position].openInvoices.append(OpenInvoice(
            number: number, issuedOn: CalendarDate(daysSinceEpoch: issuedDay), dueOn: CalendarDate(daysSinceEpoch: dueDay),
            openAmount: Money(minorUnits: openAmount, currency: try Self.currency(currency)), isDisputed: disputed))
        invoiceIDs[position][number] = id
    }

    mutating func addPaidInvoice(_ row: PostgresRow) throws {
        let (tenant, customer, number, dueDay, paidDay) = try row.decode((Int64, Int64, String, Int, Int).self)
        guard let position = positions[CustomerKey(tenantID: tenant, customerID: customer)] else { return }
        snapshots[position].paidInvoices.append(PaidInvoice(
            number: number, dueOn: CalendarDate(daysSinceEpoch: dueDay), paidOn: CalendarDate(daysSinceEpoch: paidDay)))
    }

    mutating func addPromise(_ row: PostgresRow) throws {
        let (tenant, customer, id, promisedDay, amount, currency, status, resolvedAt, numbers) =
            try row.decode((Int64, Int64, Int64, Int, Int64?, String?, String, Date?, [String]).self)
        guard let position = positions[CustomerKey(tenantID: tenant, customerID: customer)],
              let status = PromiseStatus(rawValue: status)
        else { return }
        let zone = snapshots[position].profile.timeZone
        let money = try both(amount, currency).map { Money(minorUnits: $0, currency: try Self.currency($1)) }
        snapshots[position].promises.append(PromiseToPay(
            promisedOn: CalendarDate(daysSinceEpoch: promisedDay), amount: money, invoiceNumbers: numbers,
            status: status, resolvedOn: resolvedAt.map { LocalDateTime($0, in: zone).date }))
        promiseIDs[position].append(id)
    }

    mutating func addContact(_ row: PostgresRow) throws {
        let (tenant, customer, email, status) = try row.decode((Int64, Int64, String, String).self)
        guard let position = positions[CustomerKey(tenantID: tenant, customerID: customer)],
              let status = ContactStatus(rawValue: status)
        else { return }
        snapshots[position].contacts.append(Dunning.Contact(address: email, status: status))
    }

    private static func currency(_ code: String) throws -> CurrencyCode {
        guard let currency = CurrencyCode(code: code) else {
            throw ReviewLoadingError(message: "\"\(code)\" is not a currency code")
        }
        return currency
    }
}

/// Both or neither, as one optional pair.
private func both<First, Second>(_ first: First?, _ second: Second?) -> (First, Second)? {
    guard let first, let second else { return nil }
    return (first, second)
}

/// A stored value the domain cannot represent, which the schema's checks should have refused.
struct ReviewLoadingError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
