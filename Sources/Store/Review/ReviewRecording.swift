import Foundation
import Postgres

extension ReviewStore {
    static let reasonSeparator = "\u{1F}"

    /// Writes a batch's outcomes in two statements: the customers' level, next review and activity
    /// (what was dispatched at `now`, the reviewer's clock), and one audit event per customer with its
    /// reasons. Call in the transaction that claimed them, with the tasks enqueued in it too, so a
    /// crash leaves either all of it or none.
    public func record(_ outcomes: [ReviewOutcome], actor: String, at now: Date, on connection: PostgresConnection) async throws {
        guard !outcomes.isEmpty else { return }
        let tenants = outcomes.map { $0.key.tenantID }
        let customers = outcomes.map { $0.key.customerID }
        // Decisions name whole seconds (a window's opening); seconds keep the array small.
        let nextReviews = outcomes.map { Int64($0.nextReviewAt.timeIntervalSince1970.rounded(.down)) }
        try await connection.query("""
            UPDATE customers AS c SET
                   escalation_level = u.level,
                   next_review_at = to_timestamp(u.next_review),
                   last_outreach_at = CASE WHEN u.stage IS NULL THEN c.last_outreach_at ELSE \(now) END,
                   last_outreach_stage = coalesce(u.stage, c.last_outreach_stage),
                   reminders_without_reply = c.reminders_without_reply + (u.stage IS NOT NULL)::int,
                   last_contact_discovery_at = CASE WHEN u.discovery THEN \(now) ELSE c.last_contact_discovery_at END,
                   last_owner_notification_at = CASE WHEN u.owner THEN \(now) ELSE c.last_owner_notification_at END
              FROM unnest(\(tenants), \(customers), \(outcomes.map { Int32($0.escalationLevel) }), \(nextReviews),
                          \(outcomes.map { $0.outreachStage }), \(outcomes.map { $0.contactDiscoveryDispatched }),
                          \(outcomes.map { $0.ownerNotificationDispatched }))
                   AS u(tenant_id, id, level, next_review, stage, discovery, owner)
             WHERE c.tenant_id = u.tenant_id AND c.id = u.id
            """)

        // Each event's reasons travel as one text joined by the unit separator (never part of a
        // reason): slicing one large array per row would cost time quadratic in the batch.
        let reasons = outcomes.map { outcome in
            outcome.reasons.map { reason in
                reason.utf8.contains(0x1F) ? reason.replacingOccurrences(of: Self.reasonSeparator, with: " ") : reason
            }.joined(separator: Self.reasonSeparator)
        }
        try await connection.query("""
            INSERT INTO audit_events (tenant_id, customer_id, actor, action, reasons, details, created_at)
            SELECT u.tenant_id, u.customer_id, \(actor), u.action,
                   CASE WHEN u.reasons = '' THEN '{}' ELSE string_to_array(u.reasons, \(Self.reasonSeparator)) END,
                   u.details::jsonb, \(now)
              FROM unnest(\(tenants), \(customers), \(outcomes.map { $0.auditAction }), \(reasons),
                          \(outcomes.map { $0.auditDetails }))
                   AS u(tenant_id, customer_id, action, reasons, details)
            """)
    }
}
