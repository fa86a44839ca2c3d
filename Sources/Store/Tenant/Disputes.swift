import Postgres

extension TenantStore {
    public func dispute(id: Int64) async throws -> Dispute? {
        try await query("SELECT \(unescaped: Dispute.columns) FROM disputes WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Dispute.self).first
    }

    public func disputes(_ filter: StatusFilter, page: PageRequest) async throws -> Page<Dispute> {
        var sql: PostgresQuery = "SELECT \(unescaped: Dispute.columns) FROM disputes WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let status = filter.status { sql.append(" AND status = \(status)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// Opens a dispute and takes its open invoices out of collection (status `disputed`).
    /// Nil when the customer does not exist; throws `notFound` for invoices it does not have.
    public func openDispute(_ dispute: NewDispute) async throws -> Dispute? {
        guard try await customer(id: dispute.customerID) != nil else { return nil }
        try await requireInvoices(dispute.invoiceIDs, of: dispute.customerID)
        let inserted: Dispute? = try await query("""
            INSERT INTO disputes (tenant_id, customer_id, invoice_ids, reason, assignee, source_message_id)
            VALUES (\(tenantID), \(dispute.customerID), \(dispute.invoiceIDs), \(dispute.reason), \(dispute.assignee),
                    \(dispute.sourceMessageID))
            ON CONFLICT (tenant_id, source_message_id) WHERE source_message_id IS NOT NULL DO NOTHING
            RETURNING \(unescaped: Dispute.columns)
            """).records(Dispute.self).first
        // A dispute from a reply that already opened one is that one.
        guard let created = inserted else {
            return try await query("""
                SELECT \(unescaped: Dispute.columns) FROM disputes
                 WHERE tenant_id = \(tenantID) AND source_message_id = \(dispute.sourceMessageID)
                """).records(Dispute.self).first
        }
        try await settleDisputed(invoiceIDs: dispute.invoiceIDs)
        try await audit(action: "dispute.opened", customerID: dispute.customerID, reasons: dispute.reason.isEmpty ? [] : [dispute.reason],
                        details: ["dispute_id": String(created.id)])
        return created
    }

    /// Resolving or rejecting a dispute returns its invoices to collection, unless another open
    /// dispute still holds them; reopening takes them out again.
    public func updateDispute(id: Int64, _ changes: DisputeChanges) async throws -> Dispute? {
        var assignments = Assignments()
        assignments.set("status", changes.status)
        assignments.set("assignee", changes.assignee)
        assignments.set("resolution", changes.resolution)
        if let status = changes.status.value {
            assignments.setExpression("resolved_at", status == "open" ? "NULL" : "COALESCE(resolved_at, now())")
        }
        guard !assignments.isEmpty else { return try await dispute(id: id) }
        var sql: PostgresQuery = "UPDATE disputes SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING \(unescaped: Dispute.columns)")
        guard let dispute: Dispute = try await query(sql).records(Dispute.self).first else { return nil }
        try await settleDisputed(invoiceIDs: dispute.invoiceIDs)
        try await audit(action: "dispute.updated", customerID: dispute.customerID, details: ["dispute_id": String(id)])
        return dispute
    }

    /// An open or disputed invoice is `disputed` exactly while an open dispute names it.
    private func settleDisputed(invoiceIDs: [Int64]) async throws {
        guard !invoiceIDs.isEmpty else { return }
        try await query("""
            UPDATE invoices i SET status = next.status, updated_at = now()
              FROM (SELECT v.id,
                           CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.tenant_id = v.tenant_id AND d.status = 'open'
                                                AND v.id = ANY(d.invoice_ids)) THEN 'disputed'
                                WHEN v.open_amount = 0 THEN 'paid'
                                ELSE 'open' END AS status
                      FROM invoices v
                     WHERE v.tenant_id = \(tenantID) AND v.id = ANY(\(invoiceIDs)) AND v.status IN ('open', 'disputed')) AS next
             WHERE i.tenant_id = \(tenantID) AND i.id = next.id AND i.status <> next.status
            """)
    }
}
