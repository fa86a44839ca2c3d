import Foundation
import Postgres

extension TenantStore {
    /// Writes what was done and why to the audit log, in this transaction: by the task that did it
    /// (agents), at the actor's clock (agents on a simulated one, as the scheduler does), or now.
    public func audit(action: String, customerID: Int64?, reasons: [String] = [], details: [String: String] = [:],
                      taskID: Int64? = nil, at instant: Date? = nil) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try PostgresJSON(encoding: details, encoder: encoder)
        try await query("""
            INSERT INTO audit_events (tenant_id, customer_id, actor, action, reasons, details, task_id, created_at)
            VALUES (\(tenantID), \(customerID), \(actor), \(action), \(reasons), \(json), \(taskID), coalesce(\(instant), now()))
            """)
    }

    /// Whether this task already wrote one of `actions` about the customer: where an audit event is
    /// a step's only trace, a retried task checks it to do the step once.
    public func taskAudited(_ actions: [String], customerID: Int64, taskID: Int64) async throws -> Bool {
        try await query("""
            SELECT EXISTS (SELECT FROM audit_events
                            WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND task_id = \(taskID)
                              AND action = ANY (\(actions)))
            """)[0].decode(Bool.self, at: 0)
    }

    /// Newest first.
    public func auditEvents(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        var sql: PostgresQuery = "SELECT \(unescaped: AuditEvent.columns) FROM audit_events WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let action = filter.action { sql.append(" AND action = \(action)") }
        if let actor = filter.actor { sql.append(" AND actor = \(actor)") }
        sql.appendPage(page, newestFirst: true)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }
}
