import Dunning
import Postgres

extension TenantStore {
    public func promise(id: Int64) async throws -> Promise? {
        try await query("SELECT \(unescaped: Promise.columns) FROM promises WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Promise.self).first
    }

    public func promises(_ filter: StatusFilter, page: PageRequest) async throws -> Page<Promise> {
        var sql: PostgresQuery = "SELECT \(unescaped: Promise.columns) FROM promises WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let status = filter.status { sql.append(" AND status = \(status)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// Nil when the customer does not exist; throws `notFound` for invoices it does not have. A
    /// promise from a reply that already gave one returns that one. It records what it covers now
    /// (the invoices named, or every open undisputed one, and their open total in its currency), which
    /// is what verification later measures payments against.
    public func createPromise(_ promise: NewPromise) async throws -> Promise? {
        guard try await customer(id: promise.customerID) != nil else { return nil }
        try await requireInvoices(promise.invoiceIDs, of: promise.customerID)
        let inserted: Promise? = try await query("""
            INSERT INTO promises (tenant_id, customer_id, promised_on, amount, currency, invoice_ids, status, note,
                                  source_message_id, covered_invoice_ids, covered_open_amount)
            SELECT \(tenantID), \(promise.customerID), \(promise.promisedOn.postgres), \(promise.amount), \(promise.currency),
                   \(promise.invoiceIDs), \(promise.status), \(promise.note), \(promise.sourceMessageID),
                   coalesce(array_agg(i.id ORDER BY i.id), '{}'),
                   CASE WHEN \(promise.currency)::text IS NULL THEN NULL
                        ELSE coalesce(sum(i.open_amount) FILTER (WHERE i.currency = \(promise.currency)::text), 0) END
              FROM invoices AS i
             WHERE i.tenant_id = \(tenantID) AND i.customer_id = \(promise.customerID) AND i.open_amount > 0
               AND (i.id = ANY (\(promise.invoiceIDs)) OR cardinality(\(promise.invoiceIDs)::bigint[]) = 0 AND i.status = 'open')
            ON CONFLICT (tenant_id, source_message_id) WHERE source_message_id IS NOT NULL DO NOTHING
            RETURNING \(unescaped: Promise.columns)
            """).records(Promise.self).first
        guard let created = inserted else {
            return try await query("""
                SELECT \(unescaped: Promise.columns) FROM promises
                 WHERE tenant_id = \(tenantID) AND source_message_id = \(promise.sourceMessageID)
                """).records(Promise.self).first
        }
        try await reviewCustomer(promise.customerID)
        try await audit(action: "promise.created", customerID: promise.customerID, details: ["promise_id": String(created.id)])
        return created
    }

    /// Kept, broken and cancelled promises are resolved: they record when.
    public func updatePromise(id: Int64, _ changes: PromiseChanges) async throws -> Promise? {
        var assignments = Assignments()
        if case .set(let date) = changes.promisedOn { assignments.set("promised_on", date.postgres) }
        assignments.set("status", changes.status)
        assignments.set("note", changes.note)
        if let status = changes.status.value {
            assignments.setExpression("resolved_at", ["kept", "broken", "cancelled"].contains(status) ? "COALESCE(resolved_at, now())" : "NULL")
        }
        guard !assignments.isEmpty else { return try await promise(id: id) }
        var sql: PostgresQuery = "UPDATE promises SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING \(unescaped: Promise.columns)")
        guard let promise: Promise = try await query(sql).records(Promise.self).first else { return nil }
        try await reviewCustomer(promise.customerID)
        try await audit(action: "promise.updated", customerID: promise.customerID, details: ["promise_id": String(id)])
        return promise
    }

    /// Throws `notFound` unless every id is an invoice of this customer.
    func requireInvoices(_ ids: [Int64], of customerID: Int64) async throws {
        guard !ids.isEmpty else { return }
        let found = try await query("""
            SELECT count(*) FROM invoices WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND id = ANY(\(ids))
            """)[0].decode(Int.self, at: 0)
        guard found == Set(ids).count else {
            throw StoreError.notFound("an invoice in invoice_ids does not exist for this customer")
        }
    }
}
