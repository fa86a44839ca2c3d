import Store

extension AdminAPI {
    static let contactStatuses = ["unverified", "valid", "bounced", "opted_out"]

    var contactEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/contacts", .tenantRead) { call in
                var query = call.query
                let filter = ContactFilter(customerID: query.id("customer_id"), email: query.string("email"),
                                           status: query.oneOf("status", Self.contactStatuses))
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

    static func contactChanges(_ body: inout ObjectReader) -> ContactChanges {
        var changes = ContactChanges()
        changes.name = body.string("name") { FieldRules.text($0, maximum: 500) }
        changes.email = body.string("email", rule: FieldRules.email)
        changes.role = body.string("role", rule: FieldRules.contactRole)
        changes.isPrimary = body.boolean("is_primary")
        changes.status = body.oneOf("status", contactStatuses)
        return changes
    }
}
