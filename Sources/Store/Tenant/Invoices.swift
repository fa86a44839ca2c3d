import Dunning
import Postgres

extension TenantStore {
    public func invoice(id: Int64) async throws -> Invoice? {
        try await query("SELECT \(unescaped: Invoice.columns) FROM invoices WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Invoice.self).first
    }

    public func invoice(number: String) async throws -> Invoice? {
        try await query("SELECT \(unescaped: Invoice.columns) FROM invoices WHERE tenant_id = \(tenantID) AND number = \(number)")
            .records(Invoice.self).first
    }

    public func invoices(_ filter: InvoiceFilter, page: PageRequest) async throws -> Page<Invoice> {
        var sql: PostgresQuery = "SELECT \(unescaped: Invoice.columns) FROM invoices WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let status = filter.status { sql.append(" AND status = \(status)") }
        if let currency = filter.currency { sql.append(" AND currency = \(currency)") }
        if let number = filter.number { sql.append(" AND number = \(number)") }
        if let before = filter.dueBefore { sql.append(" AND due_on < \(before.postgres)") }
        if let after = filter.dueAfter { sql.append(" AND due_on > \(after.postgres)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// Customer, number, dates, amount and currency must be set; the open amount defaults to
    /// the amount. Nil when the customer does not exist.
    public func createInvoice(number: String, _ changes: InvoiceChanges) async throws -> Invoice? {
        guard let customerID = changes.customerID.value, try await customer(id: customerID) != nil else { return nil }
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("number", number)
        if !changes.openAmount.isSet, let amount = changes.amount.value { assignments.set("open_amount", amount) }
        var sql: PostgresQuery = "INSERT INTO invoices"
        sql.append(assignments.insert)
        sql.append(" RETURNING id")
        let id = try await query(sql)[0].decode(Int64.self, at: 0)
        if !changes.status.isSet { try await settleStatus(invoiceIDs: [id]) }
        let invoice = try await invoice(id: id)!
        try await audit(action: "invoice.created", customerID: invoice.customerID, details: ["invoice": invoice.number])
        return invoice
    }

    /// A new amount without a new open amount keeps what was already paid as paid.
    public func updateInvoice(id: Int64, _ changes: InvoiceChanges) async throws -> Invoice? {
        if let customerID = changes.customerID.value, try await customer(id: customerID) == nil {
            throw StoreError.notFound("customer \(customerID) does not exist")
        }
        var assignments = Self.assignments(changes)
        if let amount = changes.amount.value, !changes.openAmount.isSet {
            assignments.setExpression("open_amount", "GREATEST(0, open_amount - amount + \(amount))")
        }
        assignments.setExpression("updated_at", "now()")
        var sql: PostgresQuery = "UPDATE invoices SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING customer_id, number")
        guard let row = try await query(sql).first else { return nil }
        let (customerID, number) = try row.decode((Int64, String).self)
        if !changes.status.isSet { try await settleStatus(invoiceIDs: [id]) }
        try await audit(action: "invoice.updated", customerID: customerID,
                        details: ["invoice": number, "fields": assignments.names.joined(separator: ",")])
        return try await invoice(id: id)
    }

    /// Creates or updates the invoice with this number. Nil when the customer does not exist.
    public func upsertInvoice(number: String, _ changes: InvoiceChanges) async throws -> (Invoice, created: Bool)? {
        guard let customerID = changes.customerID.value, try await customer(id: customerID) != nil else { return nil }
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("number", number)
        var openOnUpdate = "open_amount = EXCLUDED.open_amount"
        if !changes.openAmount.isSet, let amount = changes.amount.value {
            assignments.set("open_amount", amount)
            openOnUpdate = "open_amount = GREATEST(0, EXCLUDED.amount - (invoices.amount - invoices.open_amount))"
        }
        var sql: PostgresQuery = "INSERT INTO invoices"
        sql.append(assignments.insert)
        let updates = assignments.excluded(except: ["tenant_id", "number", "open_amount"])
        sql.append("""
             ON CONFLICT (tenant_id, number) DO UPDATE SET \(unescaped: updates), \(unescaped: openOnUpdate), updated_at = now()
            RETURNING id, (xmax = 0)
            """)
        let (id, created) = try await query(sql)[0].decode((Int64, Bool).self)
        if !changes.status.isSet { try await settleStatus(invoiceIDs: [id]) }
        try await audit(action: created ? "invoice.created" : "invoice.updated", customerID: customerID, details: ["invoice": number])
        return (try await invoice(id: id)!, created)
    }

    /// Open invoices with nothing left to pay are paid, and paid ones with a balance are open again.
    func settleStatus(invoiceIDs: [Int64]) async throws {
        try await query("""
            UPDATE invoices SET status = CASE WHEN open_amount = 0 THEN 'paid' ELSE 'open' END, updated_at = now()
             WHERE tenant_id = \(tenantID) AND id = ANY(\(invoiceIDs))
               AND ((open_amount = 0 AND status = 'open') OR (open_amount > 0 AND status = 'paid'))
            """)
    }

    static func assignments(_ changes: InvoiceChanges) -> Assignments {
        var assignments = Assignments()
        assignments.set("customer_id", changes.customerID)
        if case .set(let date) = changes.issuedOn { assignments.set("issued_on", date.postgres) }
        if case .set(let date) = changes.dueOn { assignments.set("due_on", date.postgres) }
        assignments.set("amount", changes.amount)
        assignments.set("open_amount", changes.openAmount)
        assignments.set("currency", changes.currency)
        assignments.set("status", changes.status)
        return assignments
    }
}
