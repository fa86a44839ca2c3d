import Postgres

extension TenantStore {
    public func message(id: Int64) async throws -> Message? {
        try await query("SELECT \(unescaped: Message.columns) FROM messages WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Message.self).first
    }

    /// A customer's thread, newest first.
    public func messages(customerID: Int64, page: PageRequest) async throws -> Page<Message> {
        var sql: PostgresQuery = """
            SELECT \(unescaped: Message.columns) FROM messages WHERE tenant_id = \(tenantID) AND customer_id = \(customerID)
            """
        sql.appendPage(page, newestFirst: true)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    public func escalation(id: Int64) async throws -> Escalation? {
        try await query("SELECT \(unescaped: Escalation.columns) FROM escalations WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Escalation.self).first
    }

    public func escalations(_ filter: StatusFilter, page: PageRequest) async throws -> Page<Escalation> {
        var sql: PostgresQuery = "SELECT \(unescaped: Escalation.columns) FROM escalations WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let status = filter.status { sql.append(" AND status = \(status)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// Handled and closed escalations are resolved: they record when.
    public func updateEscalation(id: Int64, status: String) async throws -> Escalation? {
        let resolvedAt: PostgresQuery = status == "open" ? "NULL" : "COALESCE(resolved_at, now())"
        var sql: PostgresQuery = "UPDATE escalations SET status = \(status), resolved_at = "
        sql.append(resolvedAt)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING \(unescaped: Escalation.columns)")
        guard let escalation: Escalation = try await query(sql).records(Escalation.self).first else { return nil }
        try await audit(action: "escalation.updated", customerID: escalation.customerID,
                        details: ["escalation_id": String(id), "status": status])
        return escalation
    }
}
