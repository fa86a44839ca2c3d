import Dunning
import Store

extension AdminAPI {
    static let promiseStatuses = ["draft", "active", "kept", "broken", "cancelled"]
    static let disputeStatuses = ["open", "resolved", "rejected"]
    static let escalationStatuses = ["open", "handled", "closed"]

    /// Promises, disputes, messages, escalations and the audit log.
    var collectionEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/promises", .tenantRead) { call in
                let (filter, page) = try Self.statusFilter(call, Self.promiseStatuses)
                return list(try await inTenant(call) { try await $0.promises(filter, page: page) })
            },
            Endpoint(.post, "/v1/promises", .tenantWrite) { call in
                var body = try call.object()
                body.requirePresent("promised_on")
                let customer = CustomerReference.read(&body, required: true)
                let promisedOn = body.date("promised_on")
                let amount = body.amount("amount", allowZero: false)
                let currency = body.string("currency", rule: FieldRules.currency)
                let invoiceIDs = body.integers("invoice_ids")
                let status = body.oneOf("status", ["draft", "active"])
                let note = body.string("note") { FieldRules.text($0, maximum: 2000) }
                if body.has("amount") != body.has("currency") {
                    body.valueProblem("currency", "amount and currency go together: give both or neither")
                }
                try body.finish()
                return try found(try await inTenant(call) { tenant in
                    try await tenant.createPromise(NewPromise(
                        customerID: try await customer!.resolve(in: tenant), promisedOn: promisedOn.value!, amount: amount.value,
                        currency: currency.value, invoiceIDs: invoiceIDs.value ?? [], status: status.value ?? "active",
                        note: note.value ?? ""))
                }, "customer", status: .created)
            },
            Endpoint(.get, "/v1/promises/{promise_id}", .tenantRead) { call in
                let id = try call.id("promise_id")
                return try found(try await inTenant(call) { try await $0.promise(id: id) }, "promise")
            },
            Endpoint(.patch, "/v1/promises/{promise_id}", .tenantWrite) { call in
                let id = try call.id("promise_id")
                var body = try call.object()
                var changes = PromiseChanges()
                changes.promisedOn = body.date("promised_on")
                changes.status = body.oneOf("status", Self.promiseStatuses)
                changes.note = body.string("note") { FieldRules.text($0, maximum: 2000) }
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updatePromise(id: id, changes) }, "promise")
            },

            Endpoint(.get, "/v1/disputes", .tenantRead) { call in
                let (filter, page) = try Self.statusFilter(call, Self.disputeStatuses)
                return list(try await inTenant(call) { try await $0.disputes(filter, page: page) })
            },
            Endpoint(.post, "/v1/disputes", .tenantWrite) { call in
                var body = try call.object()
                body.requirePresent("invoice_ids")
                let customer = CustomerReference.read(&body, required: true)
                let invoiceIDs = body.integers("invoice_ids")
                let reason = body.string("reason") { FieldRules.text($0, maximum: 2000) }
                let assignee = body.string("assignee") { FieldRules.text($0, minimum: 1, maximum: 200) }
                if let ids = invoiceIDs.value, ids.isEmpty { body.valueProblem("invoice_ids", "must name at least one invoice") }
                try body.finish()
                return try found(try await inTenant(call) { tenant in
                    try await tenant.openDispute(NewDispute(
                        customerID: try await customer!.resolve(in: tenant), invoiceIDs: invoiceIDs.value!,
                        reason: reason.value ?? "", assignee: assignee.value))
                }, "customer", status: .created)
            },
            Endpoint(.get, "/v1/disputes/{dispute_id}", .tenantRead) { call in
                let id = try call.id("dispute_id")
                return try found(try await inTenant(call) { try await $0.dispute(id: id) }, "dispute")
            },
            Endpoint(.patch, "/v1/disputes/{dispute_id}", .tenantWrite) { call in
                let id = try call.id("dispute_id")
                var body = try call.object()
                var changes = DisputeChanges()
                changes.status = body.oneOf("status", Self.disputeStatuses)
                changes.assignee = body.nullableString("assignee") { FieldRules.text($0, minimum: 1, maximum: 200) }
                changes.resolution = body.nullableString("resolution") { FieldRules.text($0, maximum: 2000) }
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updateDispute(id: id, changes) }, "dispute")
            },

            Endpoint(.get, "/v1/messages/{message_id}", .tenantRead) { call in
                let id = try call.id("message_id")
                return try found(try await inTenant(call) { try await $0.message(id: id) }, "message")
            },

            Endpoint(.get, "/v1/escalations", .tenantRead) { call in
                let (filter, page) = try Self.statusFilter(call, Self.escalationStatuses)
                return list(try await inTenant(call) { try await $0.escalations(filter, page: page) })
            },
            Endpoint(.get, "/v1/escalations/{escalation_id}", .tenantRead) { call in
                let id = try call.id("escalation_id")
                return try found(try await inTenant(call) { try await $0.escalation(id: id) }, "escalation")
            },
            Endpoint(.patch, "/v1/escalations/{escalation_id}", .tenantWrite) { call in
                let id = try call.id("escalation_id")
                var body = try call.object()
                body.requirePresent("status")
                let status = body.oneOf("status", Self.escalationStatuses)
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updateEscalation(id: id, status: status.value!) }, "escalation")
            },

            Endpoint(.get, "/v1/audit-events", .tenantRead) { call in
                var query = call.query
                let filter = AuditFilter(customerID: query.id("customer_id"), action: query.string("action"),
                                         actor: query.string("actor"))
                let page = query.page()
                try query.finish()
                return list(try await inTenant(call) { try await $0.auditEvents(filter, page: page) })
            },
        ]
    }

    static func statusFilter(_ call: Call, _ statuses: [String]) throws(APIError) -> (StatusFilter, PageRequest) {
        var query = call.query
        let filter = StatusFilter(customerID: query.id("customer_id"), status: query.oneOf("status", statuses))
        let page = query.page()
        try query.finish()
        return (filter, page)
    }
}
