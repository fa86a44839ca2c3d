import Postgres

extension TenantStore {
    public func contact(id: Int64) async throws -> Contact? {
        try await query("SELECT \(unescaped: Contact.columns) FROM contacts WHERE tenant_id = \(tenantID) AND id = \(id)")
            .records(Contact.self).first
    }

    public func contacts(_ filter: ContactFilter, page: PageRequest) async throws -> Page<Contact> {
        var sql: PostgresQuery = "SELECT \(unescaped: Contact.columns) FROM contacts WHERE tenant_id = \(tenantID)"
        if let customerID = filter.customerID { sql.append(" AND customer_id = \(customerID)") }
        if let email = filter.email { sql.append(" AND lower(email) = lower(\(email))") }
        if let status = filter.status { sql.append(" AND status = \(status)") }
        sql.appendPage(page)
        return Page(fetched: try await query(sql).records(), limit: page.limit)
    }

    /// `changes.email` must be set. Nil when the customer does not exist.
    public func createContact(customerID: Int64, source: String = "manual", _ changes: ContactChanges) async throws -> Contact? {
        guard try await customer(id: customerID) != nil else { return nil }
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("customer_id", customerID)
        assignments.set("source", source)
        var sql: PostgresQuery = "INSERT INTO contacts"
        sql.append(assignments.insert)
        sql.append(" RETURNING \(unescaped: Contact.columns)")
        let contact: Contact = try await query(sql).records()[0]
        try await keepOnePrimary(contact)
        try await audit(action: "contact.created", customerID: customerID, details: ["contact_id": String(contact.id)])
        return contact
    }

    /// Nil when there is no such contact. A proposed or rejected contact's status is refused
    /// (`StoreError.invalid`): only approving or rejecting the proposal changes it.
    public func updateContact(id: Int64, _ changes: ContactChanges) async throws -> Contact? {
        var assignments = Self.assignments(changes)
        assignments.setExpression("updated_at", "now()")
        var sql: PostgresQuery = "UPDATE contacts SET "
        sql.append(assignments.update)
        sql.append(" WHERE tenant_id = \(tenantID) AND id = \(id)")
        if changes.status.isSet { sql.append(" AND \(unescaped: Self.statusMayBeSet)") }
        sql.append(" RETURNING \(unescaped: Contact.columns)")
        guard let contact: Contact = try await query(sql).records(Contact.self).first else {
            if changes.status.isSet, let existing = try await self.contact(id: id) { throw Self.statusDecidedByProposal(existing) }
            return nil
        }
        try await keepOnePrimary(contact)
        try await reviewCustomer(contact.customerID)
        try await audit(action: "contact.updated", customerID: contact.customerID, details: ["contact_id": String(contact.id)])
        return contact
    }

    /// Creates or updates the customer's contact with this email (case-insensitively). Like
    /// `updateContact`, refuses to set the status of a proposed or rejected contact.
    public func upsertContact(customerID: Int64, email: String, _ changes: ContactChanges) async throws -> (Contact, created: Bool) {
        var changes = changes
        changes.email = .set(email)
        var assignments = Self.assignments(changes)
        assignments.set("tenant_id", tenantID)
        assignments.set("customer_id", customerID)
        var sql: PostgresQuery = "INSERT INTO contacts"
        sql.append(assignments.insert)
        let updates = assignments.excluded(except: ["tenant_id", "customer_id"])
        sql.append(" ON CONFLICT (tenant_id, customer_id, lower(email)) DO UPDATE SET \(unescaped: updates), updated_at = now()")
        if changes.status.isSet { sql.append(" WHERE \(unescaped: Self.statusMayBeSet)") }
        sql.append(" RETURNING \(unescaped: Contact.columns), (xmax = 0)")
        guard let row = try await query(sql).first else {
            let existing: Contact = try await query("""
                SELECT \(unescaped: Contact.columns) FROM contacts
                 WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND lower(email) = lower(\(email))
                """).records()[0]
            throw Self.statusDecidedByProposal(existing)
        }
        var reader = RowReader(row)
        let contact = try Contact(&reader)
        let created: Bool = try reader.next()
        try await keepOnePrimary(contact)
        try await reviewCustomer(customerID)
        try await audit(action: created ? "contact.created" : "contact.updated", customerID: customerID,
                        details: ["contact_id": String(contact.id)])
        return (contact, created)
    }

    /// A person's answer to a contact an agent proposed: approved, it is written to like one
    /// applied at once (`unverified`; the primary contact if asked); rejected, it is kept as
    /// `rejected`, so it is neither written to nor proposed again. Audited; the customer is up for
    /// review at once.
    public func decideProposedContact(id: Int64, _ decision: ProposalDecision) async throws -> ProposalOutcome {
        let (status, primary, action) = switch decision {
        case .approve(let makePrimary): ("unverified", makePrimary, "contact.approved")
        case .reject: ("rejected", false, "contact.rejected")
        }
        let decided: [Contact] = try await query("""
            UPDATE contacts SET status = \(status), is_primary = is_primary OR \(primary), updated_at = now()
             WHERE tenant_id = \(tenantID) AND id = \(id) AND status = 'proposed'
            RETURNING \(unescaped: Contact.columns)
            """).records()
        guard let contact = decided.first else {
            guard let existing = try await self.contact(id: id) else { return .notFound }
            return .notProposed(status: existing.status)
        }
        try await keepOnePrimary(contact)
        try await reviewCustomer(contact.customerID)
        try await audit(action: action, customerID: contact.customerID,
                        details: ["contact_id": String(contact.id), "email": contact.email])
        return .decided(contact)
    }

    /// The condition under which a change may set a contact's status: a proposal is decided by
    /// `decideProposedContact` alone, so its approval and the audit of it cannot be skipped.
    static let statusMayBeSet = "contacts.status NOT IN ('proposed', 'rejected')"

    static func statusDecidedByProposal(_ contact: Contact) -> StoreError {
        let message = contact.status == "proposed"
            ? "the contact is proposed: approve or reject it with POST /v1/contacts/\(contact.id)/approve or /reject instead of setting its status"
            : "the contact was rejected (POST /v1/contacts/\(contact.id)/reject), and its status stays rejected"
        return .invalid(field: "status", message: message)
    }

    /// A customer has at most one primary contact: naming a new one demotes the others.
    func keepOnePrimary(_ contact: Contact) async throws {
        guard contact.isPrimary else { return }
        try await query("""
            UPDATE contacts SET is_primary = false, updated_at = now()
             WHERE tenant_id = \(tenantID) AND customer_id = \(contact.customerID) AND id <> \(contact.id) AND is_primary
            """)
    }

    /// Puts a customer up for review now, so the scheduler sees a change at once.
    func reviewCustomer(_ customerID: Int64) async throws {
        try await query("""
            UPDATE customers SET next_review_at = now()
             WHERE tenant_id = \(tenantID) AND id = \(customerID) AND next_review_at > now()
            """)
    }

    static func assignments(_ changes: ContactChanges) -> Assignments {
        var assignments = Assignments()
        assignments.set("name", changes.name)
        assignments.set("email", changes.email)
        assignments.set("role", changes.role)
        assignments.set("is_primary", changes.isPrimary)
        assignments.set("status", changes.status)
        return assignments
    }
}
