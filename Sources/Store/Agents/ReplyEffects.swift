import Dunning
import Foundation
import Postgres

/// An inbound message as reply triage reads it.
public struct InboundMessage: Sendable {
    public var message: Message
    /// The bytes as received, when it came as RFC 822.
    public var raw: [UInt8]?
    public var bodyHTML: String?
    /// The triage result already stored (JSON), if an earlier attempt got that far.
    public var triage: String?
}

/// What the agents change on a customer, a contact or a message after reading a reply or a bounce.
extension TenantStore {
    public func inboundMessage(id: Int64) async throws -> InboundMessage? {
        guard let row = try await query("""
            SELECT \(unescaped: Message.columns), raw, body_html, triage::text FROM messages
             WHERE tenant_id = \(tenantID) AND id = \(id) AND direction = 'inbound'
            """).first else { return nil }
        var reader = RowReader(row)
        let message = try Message(&reader)
        return InboundMessage(message: message, raw: try reader.next(Data?.self).map(Array.init), bodyHTML: try reader.next(), triage: try reader.next())
    }

    /// The customer's inbound messages, newest first, with what triage read in each (JSON, if read).
    public func inboundReadings(customerID: Int64, limit: Int) async throws -> [(Message, triage: String?)] {
        try await query("""
            SELECT \(unescaped: Message.columns), triage::text FROM messages
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND direction = 'inbound'
             ORDER BY id DESC LIMIT \(limit)
            """).map { row in
            var reader = RowReader(row)
            let message = try Message(&reader)
            return (message, try reader.next(String?.self))
        }
    }

    /// Stores what triage made of the message and marks it read.
    public func recordTriage(messageID: Int64, classification: String, triageJSON: String) async throws {
        try await query("""
            UPDATE messages SET classification = \(classification), triage = \(triageJSON)::jsonb, status = 'triaged'
             WHERE tenant_id = \(tenantID) AND id = \(messageID) AND direction = 'inbound'
            """)
    }

    /// A person answered: the count of unanswered reminders starts again.
    public func noteReply(customerID: Int64, at instant: Date) async throws {
        try await query("""
            UPDATE customers SET reminders_without_reply = 0,
                   last_inbound_at = greatest(last_inbound_at, \(instant)), updated_at = now()
             WHERE tenant_id = \(tenantID) AND id = \(customerID)
            """)
    }

    /// Holds automated outreach until `until` (never shortening a longer pause) and has the customer
    /// reviewed again; returns the pause now in force.
    @discardableResult
    public func pauseOutreach(customerID: Int64, until: CalendarDate) async throws -> CalendarDate? {
        let row = try await query("""
            UPDATE customers SET paused_until = greatest(paused_until, \(until.postgres)), updated_at = now(),
                   next_review_at = least(next_review_at, now())
             WHERE tenant_id = \(tenantID) AND id = \(customerID)
            RETURNING paused_until
            """).first
        return try row?.decode(PostgresDate?.self, at: 0).map(CalendarDate.init)
    }

    /// The account owner handles the customer until `until`: automated outreach waits (the scheduler
    /// reads `owner_handling_until` as a pause).
    public func setOwnerHandling(customerID: Int64, until: CalendarDate) async throws {
        try await query("""
            UPDATE customers SET owner_handling_until = greatest(owner_handling_until, \(until.postgres)), updated_at = now()
             WHERE tenant_id = \(tenantID) AND id = \(customerID)
            """)
    }

    /// Puts an address on the tenant's suppression list: no agent writes to it again.
    public func suppress(email: String, reason: String) async throws {
        try await query("""
            INSERT INTO suppressions (tenant_id, email, reason) VALUES (\(tenantID), lower(\(email)), \(reason))
            ON CONFLICT (tenant_id, email) DO NOTHING
            """)
    }

    /// Those of `emails` on the tenant's suppression list, lower-cased.
    public func suppressedAddresses(_ emails: [String]) async throws -> Set<String> {
        guard !emails.isEmpty else { return [] }
        return Set(try await query("""
            SELECT email FROM suppressions WHERE tenant_id = \(tenantID) AND email = ANY (\(emails.map { $0.lowercased() }))
            """).map { try $0.decode(String.self, at: 0) })
    }

    /// Sets the status (`bounced`, `opted_out`, `valid`) of the customer's contacts with these
    /// addresses; returns those changed. The contacts' trigger puts the customer up for review.
    @discardableResult
    public func setContactStatus(customerID: Int64, emails: [String], status: String) async throws -> [Contact] {
        guard !emails.isEmpty else { return [] }
        return try await query("""
            UPDATE contacts SET status = \(status), updated_at = now()
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
               AND lower(email) = ANY (\(emails.map { $0.lowercased() })) AND status <> \(status)
            RETURNING \(unescaped: Contact.columns)
            """).records()
    }

    /// Audit events of the customer, newest first: what the agents did, for an owner notice.
    public func recentAuditEvents(customerID: Int64, limit: Int) async throws -> [AuditEvent] {
        try await query("""
            SELECT \(unescaped: AuditEvent.columns) FROM audit_events
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
             ORDER BY id DESC LIMIT \(limit)
            """).records()
    }

    /// Open amount and status of each of `invoiceIDs` as they stand now.
    public func invoices(ids: [Int64]) async throws -> [Invoice] {
        guard !ids.isEmpty else { return [] }
        return try await query("""
            SELECT \(unescaped: Invoice.columns) FROM invoices
             WHERE tenant_id = \(tenantID) AND id = ANY (\(ids)) ORDER BY due_on, number
            """).records()
    }
}
