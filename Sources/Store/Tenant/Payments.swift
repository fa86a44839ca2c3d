import Dunning
import Postgres

extension TenantStore {
    public func payment(id: Int64) async throws -> Payment? {
        try await query("SELECT \(unescaped: Payment.columns) FROM payments p WHERE p.tenant_id = \(tenantID) AND p.id = \(id)")
            .records(Payment.self).first
    }

    public func payments(_ filter: PaymentFilter, page: PageRequest) async throws -> Page<Payment> {
        var sql: PostgresQuery = "SELECT \(unescaped: Payment.columns) FROM payments p WHERE p.tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND p.customer_id = \(customerID)") }
        if let currency = filter.currency { sql.append(" AND p.currency = \(currency)") }
        if let reference = filter.reference { sql.append(" AND p.reference = \(reference)") }
        if let before = filter.receivedBefore { sql.append(" AND p.received_on < \(before.postgres)") }
        if let after = filter.receivedAfter { sql.append(" AND p.received_on > \(after.postgres)") }
        sql.appendPage(page, idColumn: "p.id")
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// Records a payment and spreads it over invoices, which lose that much of their open amount
    /// (and become paid at zero). Nil when the customer does not exist.
    public func recordPayment(_ payment: NewPayment) async throws -> Payment? {
        try await recordPayment(payment, audited: true)
    }

    /// A CSV import writes one audit event for the file rather than one per payment.
    func recordPayment(_ payment: NewPayment, audited: Bool) async throws -> Payment? {
        guard try await customer(id: payment.customerID) != nil else { return nil }
        let id = try await query("""
            INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on, reference)
            VALUES (\(tenantID), \(payment.customerID), \(payment.amount), \(payment.currency), \(payment.receivedOn.postgres),
                    \(payment.reference))
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        try await allocate(paymentID: id, payment)
        if audited {
            try await audit(action: "payment.recorded", customerID: payment.customerID, details: ["payment_id": String(id)])
        }
        return try await self.payment(id: id)
    }

    /// Creates or replaces the payment with this reference: a replaced payment's allocations are
    /// undone and made again, so an ERP re-sending it changes nothing, and a corrected amount
    /// lands once. Nil when the customer does not exist.
    public func upsertPayment(_ payment: NewPayment) async throws -> (Payment, created: Bool)? {
        try await upsertPayment(payment, audited: true)
    }

    func upsertPayment(_ payment: NewPayment, audited: Bool) async throws -> (Payment, created: Bool)? {
        guard let reference = payment.reference else { return try await recordPayment(payment, audited: audited).map { ($0, true) } }
        guard try await customer(id: payment.customerID) != nil else { return nil }
        let existing = try await query("""
            SELECT id FROM payments WHERE tenant_id = \(tenantID) AND reference = \(reference) FOR UPDATE
            """).first?.decode(Int64.self, at: 0)
        guard let id = existing else {
            return try await recordPayment(payment, audited: audited).map { ($0, true) }
        }
        try await undoAllocations(paymentIDs: [id])
        try await query("""
            UPDATE payments SET customer_id = \(payment.customerID), amount = \(payment.amount), currency = \(payment.currency),
                   received_on = \(payment.receivedOn.postgres)
             WHERE tenant_id = \(tenantID) AND id = \(id)
            """)
        try await allocate(paymentID: id, payment)
        if audited {
            try await audit(action: "payment.updated", customerID: payment.customerID, details: ["payment_id": String(id)])
        }
        return (try await self.payment(id: id)!, false)
    }

    public func updatePayment(id: Int64, _ changes: PaymentChanges) async throws -> Payment? {
        var assignments = Assignments()
        if case .set(let date) = changes.receivedOn { assignments.set("received_on", date.postgres) }
        assignments.set("reference", changes.reference)
        guard !assignments.isEmpty else { return try await payment(id: id) }
        var sql: PostgresQuery = "UPDATE payments SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING customer_id")
        guard let row = try await query(sql).first else { return nil }
        try await audit(action: "payment.updated", customerID: try row.decode(Int64.self, at: 0), details: ["payment_id": String(id)])
        return try await payment(id: id)
    }

    /// Explicit allocations are checked against the customer's invoices, which are locked
    /// while the plan is made.
    private func allocate(paymentID: Int64, _ payment: NewPayment) async throws {
        var plan: [PaymentAllocation] = []
        switch payment.allocation {
        case .exactly(let requested):
            guard !requested.isEmpty else { return }
            let invoices = try await lockInvoices(requested.map(\.invoiceID), of: payment.customerID)
            for allocation in requested {
                let invoice = try Self.invoice(allocation.invoiceID, in: invoices, currency: payment.currency)
                guard allocation.amount <= invoice.open else {
                    throw StoreError.invalid(field: "allocations", message: "invoice \(allocation.invoiceID) has only \(invoice.open) open")
                }
            }
            guard requested.reduce(0, { $0 + $1.amount }) <= payment.amount else {
                throw StoreError.invalid(field: "allocations", message: "the allocations add up to more than the payment")
            }
            plan = requested
        case .toInvoice(let invoiceID):
            let invoice = try Self.invoice(invoiceID, in: try await lockInvoices([invoiceID], of: payment.customerID),
                                           currency: payment.currency)
            if invoice.open > 0 { plan = [PaymentAllocation(invoiceID: invoiceID, amount: min(invoice.open, payment.amount))] }
        case .oldestDueFirst:
            let rows = try await query("""
                SELECT id, open_amount FROM invoices
                 WHERE tenant_id = \(tenantID) AND customer_id = \(payment.customerID) AND currency = \(payment.currency)
                   AND open_amount > 0 AND status = 'open'
                 ORDER BY due_on, id
                 FOR UPDATE
                """)
            var remaining = payment.amount
            for row in rows where remaining > 0 {
                let (id, open) = try row.decode((Int64, Int64).self)
                let amount = min(open, remaining)
                plan.append(PaymentAllocation(invoiceID: id, amount: amount))
                remaining -= amount
            }
        }
        guard !plan.isEmpty else { return }
        let ids = plan.map(\.invoiceID), amounts = plan.map(\.amount)
        try await query("""
            INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
            SELECT \(tenantID), \(paymentID), a.invoice_id, a.amount FROM unnest(\(ids)::bigint[], \(amounts)::bigint[]) AS a(invoice_id, amount)
            """)
        try await query("""
            UPDATE invoices i SET open_amount = i.open_amount - a.amount,
                   status = CASE WHEN i.open_amount - a.amount = 0 AND i.status IN ('open', 'disputed') THEN 'paid' ELSE i.status END,
                   updated_at = now()
              FROM unnest(\(ids)::bigint[], \(amounts)::bigint[]) AS a(invoice_id, amount)
             WHERE i.tenant_id = \(tenantID) AND i.id = a.invoice_id
            """)
    }

    private func lockInvoices(_ ids: [Int64], of customerID: Int64) async throws -> [Int64: (open: Int64, currency: String)] {
        var invoices: [Int64: (open: Int64, currency: String)] = [:]
        for row in try await query("""
            SELECT id, open_amount, currency FROM invoices
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND id = ANY(\(ids))
             ORDER BY id
             FOR UPDATE
            """) {
            let (id, open, currency) = try row.decode((Int64, Int64, String).self)
            invoices[id] = (open, currency)
        }
        return invoices
    }

    private static func invoice(_ id: Int64, in invoices: [Int64: (open: Int64, currency: String)], currency: String) throws -> (open: Int64, currency: String) {
        guard let invoice = invoices[id] else {
            throw StoreError.notFound("invoice \(id) does not exist for this customer")
        }
        guard invoice.currency == currency else {
            throw StoreError.invalid(field: "allocations", message: "invoice \(id) is in \(invoice.currency), the payment in \(currency)")
        }
        return invoice
    }

    /// Gives the payments' allocated amounts back to their invoices.
    func undoAllocations(paymentIDs: [Int64]) async throws {
        try await query("""
            WITH removed AS (
                DELETE FROM payment_allocations WHERE tenant_id = \(tenantID) AND payment_id = ANY(\(paymentIDs))
                RETURNING invoice_id, amount
            ), per_invoice AS (
                SELECT invoice_id, sum(amount) AS amount FROM removed GROUP BY invoice_id
            )
            UPDATE invoices i SET open_amount = LEAST(i.amount, i.open_amount + r.amount),
                   status = CASE WHEN i.status = 'paid' THEN 'open' ELSE i.status END, updated_at = now()
              FROM per_invoice r
             WHERE i.tenant_id = \(tenantID) AND i.id = r.invoice_id
            """)
    }
}
