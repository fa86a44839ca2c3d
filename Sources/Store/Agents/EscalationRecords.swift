import Foundation
import Postgres

extension TenantStore {
    /// Records that the customer rose from `fromLevel` to `level`, once per task: a retried task gets
    /// the escalation its earlier attempt wrote, with `created` false. The scheduler already stored
    /// the level itself.
    public func recordEscalation(customerID: Int64, fromLevel: Int, level: Int, reasons: [String], ownerEmail: String?,
                                 taskID: Int64, at instant: Date) async throws -> (Escalation, created: Bool) {
        let inserted: [Escalation] = try await query("""
            INSERT INTO escalations (tenant_id, customer_id, from_level, level, reasons, owner_email, task_id, created_at)
            VALUES (\(tenantID), \(customerID), \(fromLevel), \(level), \(reasons), \(ownerEmail), \(taskID), \(instant))
            ON CONFLICT (tenant_id, task_id) WHERE task_id IS NOT NULL DO NOTHING
            RETURNING \(unescaped: Escalation.columns)
            """).records()
        if let escalation = inserted.first { return (escalation, true) }
        return (try await query("""
            SELECT \(unescaped: Escalation.columns) FROM escalations WHERE tenant_id = \(tenantID) AND task_id = \(taskID)
            """).records()[0], false)
    }

    /// The channels the owner was told through.
    public func markEscalationNotified(id: Int64, via channel: Notice.Channel, at instant: Date) async throws {
        try await query("""
            UPDATE escalations SET owner_notified_via = \(channel.rawValue), owner_notified_at = \(instant)
             WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
    }
}
