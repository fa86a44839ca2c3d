import Store

extension AdminAPI {
    static let customerStatuses = ["active", "paused", "do_not_contact", "closed"]

    var customerEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/customers", .tenantRead) { call in
                var query = call.query
                let filter = CustomerFilter(
                    status: query.oneOf("status", Self.customerStatuses),
                    currency: query.string("currency", rule: FieldRules.currency),
                    externalRef: query.string("external_ref"))
                let page = query.page()
                try query.finish()
                return list(try await inTenant(call) { try await $0.customers(filter, page: page) })
            },
            Endpoint(.post, "/v1/customers", .tenantWrite) { call in
                var body = try call.object()
                body.requirePresent("external_ref", "name", "currency")
                let externalRef = body.string("external_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }
                let changes = Self.customerChanges(&body)
                try body.finish()
                return .json(.created, try await inTenant(call) { try await $0.createCustomer(externalRef: externalRef.value!, changes) })
            },
            Endpoint(.get, "/v1/customers/{customer_id}", .tenantRead) { call in
                let id = try call.id("customer_id")
                return try found(try await inTenant(call) { try await $0.customer(id: id) }, "customer")
            },
            Endpoint(.patch, "/v1/customers/{customer_id}", .tenantWrite) { call in
                let id = try call.id("customer_id")
                var body = try call.object()
                body.refuse("external_ref", "cannot be changed; it is how the customer is known")
                let changes = Self.customerChanges(&body)
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updateCustomer(id: id, changes) }, "customer")
            },
            Endpoint(.get, "/v1/customers/by-ref/{external_ref}", .tenantRead) { call in
                let ref = try call.parameter("external_ref")
                return try found(try await inTenant(call) { try await $0.customer(externalRef: ref) }, "customer")
            },
            Endpoint(.put, "/v1/customers/by-ref/{external_ref}", .tenantWrite) { call in
                let ref = try call.parameter("external_ref")
                if let problem = FieldRules.text(ref, minimum: 1, maximum: 200) {
                    throw APIError.validation("external_ref \(problem)")
                }
                var body = try call.object()
                body.requirePresent("name", "currency")
                let changes = Self.customerChanges(&body)
                try body.finish()
                let (customer, created) = try await inTenant(call) { try await $0.upsertCustomer(externalRef: ref, changes) }
                return .json(created ? .created : .ok, customer)
            },
            Endpoint(.get, "/v1/customers/{customer_id}/messages", .tenantRead) { call in
                let id = try call.id("customer_id")
                var query = call.query
                let page = query.page()
                try query.finish()
                let messages = try await inTenant(call) { tenant -> Page<Message>? in
                    guard try await tenant.customer(id: id) != nil else { return nil }
                    return try await tenant.messages(customerID: id, page: page)
                }
                guard let messages else { throw APIError.notFound("no such customer") }
                return list(messages)
            },
        ]
    }

    static func customerChanges(_ body: inout ObjectReader) -> CustomerChanges {
        var changes = CustomerChanges()
        changes.name = body.string("name") { FieldRules.text($0, minimum: 1, maximum: 500) }
        changes.currency = body.string("currency", rule: FieldRules.currency)
        changes.timeZone = body.string("time_zone", rule: FieldRules.timeZone)
        changes.language = body.string("language", rule: FieldRules.language)
        changes.accountOwnerEmail = body.nullableString("account_owner_email", rule: FieldRules.email)
        changes.isKeyAccount = body.boolean("is_key_account")
        changes.isConsumer = body.boolean("is_consumer")
        changes.status = body.oneOf("status", customerStatuses)
        changes.pausedUntil = body.nullableDate("paused_until")
        return changes
    }
}
