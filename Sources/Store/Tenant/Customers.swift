import Dunning
import Postgres

extension TenantStore {
    public func customer(id: Int64) async throws -> Customer? {
        try await query("SELECT \(unescaped: Customer.columns) FROM customers WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Customer.self).first
    }

    public func customer(externalRef: String) async throws -> Customer? {
        try await query("""
            SELECT \(unescaped: Customer.columns) FROM customers WHERE tenant_id = \(tenantID) AND external_ref = \(externalRef)
            """).records(Customer.self).first
    }

    public func customers(_ filter: CustomerFilter, page: PageRequest) async throws -> Page<Customer> {
        var sql: PostgresQuery = "SELECT \(unescaped: Customer.columns) FROM customers WHERE tenant_id = \(tenantID)"
        if let status = filter.status { sql.append(" AND status = \(status)") }
        if let currency = filter.currency { sql.append(" AND currency = \(currency)") }
        if let externalRef = filter.externalRef { sql.append(" AND external_ref = \(externalRef)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// `changes.name` and `changes.currency` must be set.
    public func createCustomer(externalRef: String, _ changes: CustomerChanges) async throws -> Customer {
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("external_ref", externalRef)
        var sql: PostgresQuery = "INSERT INTO customers"
        sql.append(assignments.insert)
        sql.append(" RETURNING \(unescaped: Customer.columns)")
        let customer: Customer = try await query(sql).records()[0]
        try await audit(action: "customer.created", customerID: customer.id)
        return customer
    }

    /// Any change puts the customer up for review at once.
    public func updateCustomer(id: Int64, _ changes: CustomerChanges) async throws -> Customer? {
        var assignments = Self.assignments(changes)
        assignments.setExpression("updated_at", "now()")
        assignments.setExpression("next_review_at", "now()")
        var sql: PostgresQuery = "UPDATE customers SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id) RETURNING \(unescaped: Customer.columns)")
        guard let customer: Customer = try await query(sql).records(Customer.self).first else { return nil }
        try await audit(action: "customer.updated", customerID: customer.id, details: ["fields": assignments.names.joined(separator: ",")])
        return customer
    }

    /// Creates or updates the customer with this external reference; fields left unchanged keep
    /// their stored values (or defaults). Returns whether it was created.
    public func upsertCustomer(externalRef: String, _ changes: CustomerChanges) async throws -> (Customer, created: Bool) {
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("external_ref", externalRef)
        var sql: PostgresQuery = "INSERT INTO customers"
        sql.append(assignments.insert)
        let updates = assignments.excluded(except: ["tenant_id", "external_ref"])
        sql.append("""
             ON CONFLICT (tenant_id, external_ref) DO UPDATE SET \(unescaped: updates.isEmpty ? "" : updates + ",") \
            updated_at = now(), next_review_at = now()
            RETURNING \(unescaped: Customer.columns), (xmax = 0)
            """)
        let row = try await query(sql)[0]
        var reader = RowReader(row)
        let customer = try Customer(&reader)
        let created: Bool = try reader.next()
        try await audit(action: created ? "customer.created" : "customer.updated", customerID: customer.id)
        return (customer, created)
    }

    static func assignments(_ changes: CustomerChanges) -> Assignments {
        var assignments = Assignments()
        assignments.set("name", changes.name)
        assignments.set("currency", changes.currency)
        assignments.set("time_zone", changes.timeZone)
        assignments.set("language", changes.language)
        assignments.set("account_owner_email", changes.accountOwnerEmail)
        assignments.set("is_key_account", changes.isKeyAccount)
        assignments.set("is_consumer", changes.isConsumer)
        assignments.set("status", changes.status)
        if case .set(let date) = changes.pausedUntil { assignments.set("paused_until", date.postgres) }
        return assignments
    }
}
