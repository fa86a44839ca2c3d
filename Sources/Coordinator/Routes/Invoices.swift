import Dunning
import Store

extension AdminAPI {
    static let invoiceStatuses = ["open", "paid", "disputed", "written_off", "void"]
    /// Paid and disputed follow from payments and disputes; a client sets only these.
    static let settableInvoiceStatuses = ["open", "written_off", "void"]

    var invoiceEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/invoices", .tenantRead) { call in
                var query = call.query
                let filter = InvoiceFilter(
                    customerID: query.id("customer_id"), status: query.oneOf("status", Self.invoiceStatuses),
                    currency: query.string("currency", rule: FieldRules.currency), number: query.string("number"),
                    dueBefore: query.date("due_before"), dueAfter: query.date("due_after"))
                let page = query.page()
                try query.finish()
                return list(try await inTenant(call) { try await $0.invoices(filter, page: page) })
            },
            Endpoint(.post, "/v1/invoices", .tenantWrite) { call in
                var body = try call.object()
                body.requirePresent("number", "issued_on", "due_on", "amount", "currency")
                let customer = CustomerReference.read(&body, required: true)
                let number = body.string("number") { FieldRules.text($0, minimum: 1, maximum: 100) }
                let changes = try Self.invoiceChanges(&body, complete: true)
                try body.finish()
                return try found(try await inTenant(call) { tenant in
                    var changes = changes
                    changes.customerID = .set(try await customer!.resolve(in: tenant))
                    return try await tenant.createInvoice(number: number.value!, changes)
                }, "customer", status: .created)
            },
            Endpoint(.get, "/v1/invoices/{invoice_id}", .tenantRead) { call in
                let id = try call.id("invoice_id")
                return try found(try await inTenant(call) { try await $0.invoice(id: id) }, "invoice")
            },
            Endpoint(.patch, "/v1/invoices/{invoice_id}", .tenantWrite) { call in
                let id = try call.id("invoice_id")
                var body = try call.object()
                body.refuse("number", "cannot be changed; it is how the invoice is known")
                let customer = CustomerReference.read(&body, required: false)
                let changes = try Self.invoiceChanges(&body, complete: false)
                try body.finish()
                return try found(try await inTenant(call) { tenant -> Invoice? in
                    var changes = changes
                    if let customer { changes.customerID = .set(try await customer.resolve(in: tenant)) }
                    guard let current = try await tenant.invoice(id: id) else { return nil }
                    try Self.checkAmounts(current: current, changes)
                    return try await tenant.updateInvoice(id: id, changes)
                }, "invoice")
            },
            Endpoint(.get, "/v1/invoices/by-ref/{number}", .tenantRead) { call in
                let number = try call.parameter("number")
                return try found(try await inTenant(call) { try await $0.invoice(number: number) }, "invoice")
            },
            Endpoint(.put, "/v1/invoices/by-ref/{number}", .tenantWrite) { call in
                let number = try call.parameter("number")
                if let problem = FieldRules.text(number, minimum: 1, maximum: 100) { throw APIError.validation("number \(problem)") }
                var body = try call.object()
                body.requirePresent("issued_on", "due_on", "amount", "currency")
                let customer = CustomerReference.read(&body, required: true)
                let changes = try Self.invoiceChanges(&body, complete: true)
                try body.finish()
                let (invoice, created) = try await inTenant(call) { tenant in
                    var changes = changes
                    changes.customerID = .set(try await customer!.resolve(in: tenant))
                    guard let result = try await tenant.upsertInvoice(number: number, changes) else {
                        throw APIError.notFound("no such customer")
                    }
                    return result
                }
                return .json(created ? .created : .ok, invoice)
            },
        ]
    }

    /// `complete`: a create or replacement, where dates must be in order and the open amount
    /// within the amount; a partial update is checked against the stored invoice instead.
    static func invoiceChanges(_ body: inout ObjectReader, complete: Bool) throws(APIError) -> InvoiceChanges {
        var changes = InvoiceChanges()
        changes.issuedOn = body.date("issued_on")
        changes.dueOn = body.date("due_on")
        changes.amount = body.amount("amount", allowZero: true)
        changes.openAmount = body.amount("open_amount", allowZero: true)
        changes.currency = body.string("currency", rule: FieldRules.currency)
        changes.status = body.oneOf("status", settableInvoiceStatuses)
        if complete {
            if let issued = changes.issuedOn.value, let due = changes.dueOn.value, due < issued {
                body.valueProblem("due_on", "must not be before issued_on")
            }
            if let amount = changes.amount.value, let open = changes.openAmount.value, open > amount {
                body.valueProblem("open_amount", "must not be more than amount")
            }
        }
        return changes
    }

    static func checkAmounts(current: Invoice, _ changes: InvoiceChanges) throws(APIError) {
        let issued = changes.issuedOn.value ?? current.issuedOn
        let due = changes.dueOn.value ?? current.dueOn
        if due < issued { throw APIError.validation("due_on must not be before issued_on", details: [ErrorDetail(field: "due_on", reason: "is before issued_on")]) }
        let amount = changes.amount.value ?? current.amount
        if let open = changes.openAmount.value, open > amount {
            throw APIError.validation("open_amount must not be more than amount", details: [ErrorDetail(field: "open_amount", reason: "is more than amount")])
        }
    }
}
