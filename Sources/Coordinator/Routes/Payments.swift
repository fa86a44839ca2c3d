import Dunning
import Store

extension AdminAPI {
    var paymentEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/payments", .tenantRead) { call in
                var query = call.query
                let filter = PaymentFilter(
                    customerID: query.id("customer_id"), currency: query.string("currency", rule: FieldRules.currency),
                    reference: query.string("reference"), receivedBefore: query.date("received_before"),
                    receivedAfter: query.date("received_after"))
                let page = query.page()
                try query.finish()
                return list(try await inTenant(call) { try await $0.payments(filter, page: page) })
            },
            Endpoint(.post, "/v1/payments", .tenantWrite) { call in
                var body = try call.object()
                let draft = try Self.paymentDraft(&body)
                let reference = body.string("reference") { FieldRules.text($0, minimum: 1, maximum: 200) }
                try body.finish()
                return try found(try await inTenant(call) { tenant in
                    try await tenant.recordPayment(try await draft.payment(in: tenant, reference: reference.value))
                }, "customer", status: .created)
            },
            Endpoint(.get, "/v1/payments/{payment_id}", .tenantRead) { call in
                let id = try call.id("payment_id")
                return try found(try await inTenant(call) { try await $0.payment(id: id) }, "payment")
            },
            Endpoint(.patch, "/v1/payments/{payment_id}", .tenantWrite) { call in
                let id = try call.id("payment_id")
                var body = try call.object()
                for field in ["amount", "currency", "customer_id", "customer_ref", "allocations"] {
                    body.refuse(field, "cannot be changed; record the payment again under its reference with PUT /v1/payments/by-ref/{reference}")
                }
                var changes = PaymentChanges()
                changes.receivedOn = body.date("received_on")
                changes.reference = body.nullableString("reference") { FieldRules.text($0, minimum: 1, maximum: 200) }
                try body.finish()
                return try found(try await inTenant(call) { try await $0.updatePayment(id: id, changes) }, "payment")
            },
            Endpoint(.put, "/v1/payments/by-ref/{reference}", .tenantWrite) { call in
                let reference = try call.parameter("reference")
                if let problem = FieldRules.text(reference, minimum: 1, maximum: 200) { throw APIError.validation("reference \(problem)") }
                var body = try call.object()
                body.refuse("reference", "is given in the path")
                let draft = try Self.paymentDraft(&body)
                try body.finish()
                let (payment, created) = try await inTenant(call) { tenant in
                    guard let result = try await tenant.upsertPayment(try await draft.payment(in: tenant, reference: reference)) else {
                        throw APIError.notFound("no such customer")
                    }
                    return result
                }
                return .json(created ? .created : .ok, payment)
            },
        ]
    }

    /// What a payment body says before its customer is looked up.
    struct PaymentDraft: Sendable {
        var customer: CustomerReference?
        var amount: Int64
        var currency: String
        var receivedOn: CalendarDate
        var allocations: [PaymentAllocation]?

        func payment(in tenant: TenantStore, reference: String?) async throws -> NewPayment {
            NewPayment(customerID: try await customer!.resolve(in: tenant), amount: amount, currency: currency, receivedOn: receivedOn,
                       reference: reference, allocation: allocations.map(AllocationPlan.exactly) ?? .oldestDueFirst)
        }
    }

    static func paymentDraft(_ body: inout ObjectReader) throws(APIError) -> PaymentDraft {
        body.requirePresent("amount", "currency", "received_on")
        let customer = CustomerReference.read(&body, required: true)
        let amount = body.amount("amount", allowZero: false)
        let currency = body.string("currency", rule: FieldRules.currency)
        let receivedOn = body.date("received_on")
        var allocations: [PaymentAllocation]?
        if let json = body.take("allocations") {
            if case .array(let elements) = json, elements.count <= 1000 {
                allocations = []
                for (index, element) in elements.enumerated() {
                    var item = ObjectReader(element, path: "allocations[\(index)]")
                    item.requirePresent("invoice_id", "amount")
                    let invoiceID = item.integer("invoice_id", minimum: 1)
                    let share = item.amount("amount", allowZero: false)
                    item.rejectUnknownFields()
                    body.absorb(item)
                    if let invoiceID = invoiceID.value, let share = share.value {
                        allocations?.append(PaymentAllocation(invoiceID: invoiceID, amount: share))
                    }
                }
                if let ids = allocations?.map(\.invoiceID), Set(ids).count != ids.count {
                    body.valueProblem("allocations", "must not name an invoice twice")
                }
            } else {
                body.typeProblem("allocations", "must be an array of at most 1000 {invoice_id, amount} objects")
            }
        }
        guard let amount = amount.value, let currency = currency.value, let receivedOn = receivedOn.value else {
            try body.throwIfProblems()
            throw APIError.invalidRequest("the payment is incomplete")
        }
        if let allocations, allocations.reduce(0, { $0 + $1.amount }) > amount {
            body.valueProblem("allocations", "add up to more than the amount")
        }
        return PaymentDraft(customer: customer, amount: amount, currency: currency, receivedOn: receivedOn, allocations: allocations)
    }
}
