import Foundation
import Postgres

/// What the agents have done for a tenant so far, in totals: the figures a run of the demo ends with.
public struct AgentActivity: Sendable, Hashable {
    public var remindersSent: Int
    /// Thank-you notes and any other mail to customers that is not a reminder.
    public var otherMailSent: Int
    public var repliesByKind: [String: Int]
    public var promisesCaptured: Int
    public var promisesKept: Int
    public var promisesBroken: Int
    /// Better contacts the agents found and made primary (from replies or a search).
    public var contactsDiscovered: Int
    /// Contacts the agents found and proposed for a person to approve.
    public var contactsProposed: Int
    public var escalations: Int
    public var ownerNotices: Int
}

extension TenantStore {
    public func agentActivity() async throws -> AgentActivity {
        let row = try await query("""
            SELECT
              (SELECT count(*) FROM messages WHERE tenant_id = \(tenantID) AND direction = 'outbound' AND stage IS NOT NULL
                  AND status IN ('sent', 'unconfirmed', 'bounced')),
              (SELECT count(*) FROM messages WHERE tenant_id = \(tenantID) AND direction = 'outbound' AND stage IS NULL
                  AND status IN ('sent', 'unconfirmed')),
              (SELECT count(*) FROM promises WHERE tenant_id = \(tenantID) AND source_message_id IS NOT NULL),
              (SELECT count(*) FROM promises WHERE tenant_id = \(tenantID) AND status = 'kept'),
              (SELECT count(*) FROM promises WHERE tenant_id = \(tenantID) AND status = 'broken'),
              (SELECT count(*) FROM audit_events WHERE tenant_id = \(tenantID) AND action = 'contact_discovered'),
              (SELECT count(*) FROM audit_events WHERE tenant_id = \(tenantID) AND action = 'contact_proposed'),
              (SELECT count(*) FROM escalations WHERE tenant_id = \(tenantID)),
              (SELECT count(*) FROM notifications WHERE tenant_id = \(tenantID) AND status IN ('sent', 'unconfirmed'))
            """)[0]
        var reader = RowReader(row)
        var activity = AgentActivity(
            remindersSent: try reader.next(), otherMailSent: try reader.next(), repliesByKind: [:],
            promisesCaptured: try reader.next(), promisesKept: try reader.next(), promisesBroken: try reader.next(),
            contactsDiscovered: try reader.next(), contactsProposed: try reader.next(), escalations: try reader.next(),
            ownerNotices: try reader.next())
        for row in try await query("""
            SELECT coalesce(classification, 'unread'), count(*) FROM messages
             WHERE tenant_id = \(tenantID) AND direction = 'inbound' GROUP BY 1 ORDER BY 1
            """) {
            let (kind, count) = try row.decode((String, Int).self)
            activity.repliesByKind[kind] = count
        }
        return activity
    }
}
