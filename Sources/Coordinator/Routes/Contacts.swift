import Store

extension AdminAPI {
    static let contactStatuses = ["unverified", "valid", "bounced", "opted_out"]
    /// What a contact may also be, but only through the agents and the approve and reject endpoints.
    static let proposalStatuses = ["proposed", "rejected"]

    var contactEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/contacts", .tenantRead) { call in
                var query = call.query
                let filter = ContactFilter(customerID: query.id("customer_id"), email: query.string("email"),
                                           status: query.oneOf("status", Self.contactStatuses + Self.proposalStatuses))
                let page = query.page()
                try query.finish()
                return list(try await inTenant(call) { try await $0.contacts(filter, page: page) })
            },
            Endpoint(.post, "/v1/contacts", .tenantWrite) { call in
                var body = try call.object()
                body.requirePresent("email")
                let customer = CustomerReference.read(&body, required: true)
                let changes = Self.contactChanges(&body)
                try body.finish()
                return try found(try await inTenant(call) { tenant in
                    try await tenant.createContact(customerID: try await customer!.resolve(in: tenant), changes)
                }, "customer", status: .created)
            },
            Endpoint(.get, "/v1/contacts/{contact_id}", .tenantRead) { call in
                let id = try call.id("contact_id")
                return try found(try await inTenant(call) { try await $0.contact(id: id) }, "contact")
            },
            Endpoint(.patch, "/v1/contacts/{contact_id}", .tenantWrite) { call in
                let id = try call.id("contact_id")
                var body = try call.object()
                let changes = Self.contactChanges(&body)
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updateContact(id: id, changes) }, "contact")
            },
            Endpoint(.post, "/v1/contacts/{contact_id}/approve", .tenantWrite) { call in
                let id = try call.id("contact_id")
                var makePrimary = false
                if !call.body.isEmpty {
                    var body = try call.object()
                    makePrimary = body.boolean("is_primary").value ?? false
                    try body.finish()
                }
                return try await decideProposal(call, id, .approve(makePrimary: makePrimary))
            },
            Endpoint(.post, "/v1/contacts/{contact_id}/reject", .tenantWrite) { call in
                try await decideProposal(call, try call.id("contact_id"), .reject)
            },
            Endpoint(.put, "/v1/customers/by-ref/{external_ref}/contacts/{email}", .tenantWrite) { call in
                let ref = try call.parameter("external_ref")
                let email = try call.parameter("email")
                if let problem = FieldRules.email(email) { throw APIError.validation("email: \(problem)") }
                var body = try call.object()
                body.refuse("email", "is given in the path")
                let changes = Self.contactChanges(&body)
                try body.finish()
                let (contact, created) = try await inTenant(call) { tenant in
                    guard let customer = try await tenant.customer(externalRef: ref) else { throw APIError.notFound("no such customer") }
                    return try await tenant.upsertContact(customerID: customer.id, email: email, changes)
                }
                return .json(created ? .created : .ok, contact)
            },
        ]
    }

    private func decideProposal(_ call: Call, _ id: Int64, _ decision: ProposalDecision) async throws -> APIResponse {
        switch try await inTenant(call, { try await $0.decideProposedContact(id: id, decision) }) {
        case .decided(let contact):
            return .json(.ok, contact)
        case .notProposed(let status):
            throw APIError(.conflict, "contact_not_proposed",
                           "the contact is \(status); only a contact an agent proposed can be approved or rejected")
        case .notFound:
            throw APIError.notFound("no such contact")
        }
    }

    static func contactChanges(_ body: inout ObjectReader) -> ContactChanges {
        var changes = ContactChanges()
        changes.name = body.string("name") { FieldRules.text($0, maximum: 500) }
        changes.email = body.string("email", rule: FieldRules.email)
        changes.role = body.string("role", rule: FieldRules.contactRole)
        changes.isPrimary = body.boolean("is_primary")
        changes.status = body.string("status") { status in
            if proposalStatuses.contains(status) {
                return "is set to \(status) only by the agents and POST /v1/contacts/{contact_id}/approve or /reject"
            }
            return contactStatuses.contains(status) ? nil : "must be one of \(contactStatuses.joined(separator: ", "))"
        }
        return changes
    }
}
