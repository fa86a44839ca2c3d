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
