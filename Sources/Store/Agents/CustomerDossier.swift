import Dunning
import Foundation
import Postgres

/// What an agent reads about one customer before it acts: the book as it stands now (not as the
/// scheduler saw it), the people to write to, the thread and the recent history a message refers to.
public struct CustomerDossier: Sendable {
    public var customer: Customer
    /// Open and disputed invoices with a balance, earliest due first.
    public var openInvoices: [Invoice]
    /// Those of `openInvoices` an open dispute (or their status) takes out of collection.
    public var disputedInvoiceIDs: Set<Int64>
    /// Primary first; a suppressed address shows as `bounced` (hard bounce) or `opted_out`.
    public var contacts: [Contact]
    /// The thread, newest first (by insertion, which every clock agrees on), at most 20.
    public var recentMessages: [Message]
    /// Payments of the last 90 days by the dossier's date, newest first.
    public var recentPayments: [Payment]
    /// Newest first, at most 10.
    public var promises: [Promise]

    /// Open invoices that may be chased: not disputed.
    public var collectibleInvoices: [Invoice] {
        openInvoices.filter { !disputedInvoiceIDs.contains($0.id) }
    }

    /// Contacts mail may go to: not bounced, not opted out, not merely proposed (nor rejected).
    public var reachableContacts: [Contact] {
        contacts.filter { $0.status == "valid" || $0.status == "unverified" }
    }

    /// Inbound mail not yet read by triage: what the customer said may change what to do.
    public var hasUntriagedReplies: Bool {
        recentMessages.contains { $0.direction == "inbound" && $0.status == "received" }
    }
}

extension TenantStore {
    /// Nil when the customer does not exist. Recent payments are those of the 90 days before `now`
    /// in the customer's zone.
    public func dossier(customerID: Int64, now: Date) async throws -> CustomerDossier? {
        guard let customer = try await customer(id: customerID) else { return nil }
        let today = LocalDateTime(now, in: TimeZone(identifier: customer.timeZone) ?? .gmt).date
        let invoiceRows = try await query("""
            SELECT \(unescaped: Invoice.columns),
                   status = 'disputed' OR EXISTS (
                       SELECT FROM disputes AS d
                        WHERE d.tenant_id = invoices.tenant_id AND d.customer_id = invoices.customer_id
                          AND d.status = 'open' AND invoices.id = ANY (d.invoice_ids))
              FROM invoices
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND open_amount > 0
               AND status IN ('open', 'disputed')
             ORDER BY due_on, number
            """)
        var openInvoices: [Invoice] = []
        var disputed: Set<Int64> = []
        for row in invoiceRows {
            var reader = RowReader(row)
            let invoice = try Invoice(&reader)
            if try reader.next(Bool.self) { disputed.insert(invoice.id) }
            openInvoices.append(invoice)
        }
        let contacts: [Contact] = try await query("""
            SELECT c.id, c.customer_id, c.name, c.email, c.role, c.is_primary,
                   CASE WHEN s.reason = 'hard_bounce' THEN 'bounced' WHEN s.reason IS NOT NULL THEN 'opted_out'
                        ELSE c.status END,
                   c.source, c.created_at, c.updated_at
              FROM contacts AS c
              LEFT JOIN suppressions AS s ON s.tenant_id = c.tenant_id AND s.email = lower(c.email)
             WHERE c.tenant_id = \(tenantID) AND c.customer_id = \(customerID)
             ORDER BY c.is_primary DESC, c.id
            """).records()
        let messages: [Message] = try await query("""
            SELECT \(unescaped: Message.columns) FROM messages
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
             ORDER BY id DESC LIMIT 20
            """).records()
        let since = today.adding(days: -90).postgres
        let payments: [Payment] = try await query("""
            SELECT \(unescaped: Payment.columns) FROM payments AS p
             WHERE p.tenant_id = \(tenantID) AND p.customer_id = \(customerID) AND p.received_on >= \(since)
             ORDER BY p.received_on DESC, p.id DESC
            """).records()
        let promises: [Promise] = try await query("""
            SELECT \(unescaped: Promise.columns) FROM promises
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
             ORDER BY id DESC LIMIT 10
            """).records()
        return CustomerDossier(
            customer: customer, openInvoices: openInvoices, disputedInvoiceIDs: disputed, contacts: contacts,
            recentMessages: messages, recentPayments: payments, promises: promises)
    }
}
