import HTTPTypes
import Store

extension AdminAPI {
    /// Runs `body` in the caller's tenant transaction (row-level security on).
    func inTenant<Result: Sendable>(_ call: Call, _ body: (TenantStore) async throws -> Result) async throws -> Result {
        try await store.withTenant(call.principal.tenantID, actor: call.principal.actor, body)
    }

    /// A list answer.
    func list<Item: JSONRepresentable>(_ page: Page<Item>) -> APIResponse {
        .json { page.write(to: &$0) }
    }

    /// An object answer, or 404 when the tenant has no such object (another tenant's included).
    func found(_ value: (some JSONRepresentable)?, _ what: String, status: HTTPResponse.Status = .ok) throws(APIError) -> APIResponse {
        guard let value else { throw APIError.notFound("no such \(what)") }
        return .json(status, value)
    }
}

/// A body names a customer by id or by external reference.
struct CustomerReference: Sendable {
    var id: Int64?
    var externalRef: String?

    /// Reads `customer_id` or `customer_ref`; exactly one when `required`.
    static func read(_ body: inout ObjectReader, required: Bool) -> CustomerReference? {
        let id = body.integer("customer_id", minimum: 1).value
        let ref = body.string("customer_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }.value
        if body.has("customer_id") && body.has("customer_ref") {
            body.typeProblem("customer_ref", "give customer_id or customer_ref, not both")
            return nil
        }
        if !body.has("customer_id") && !body.has("customer_ref") {
            if required { body.typeProblem("customer_id", "is required (or customer_ref)") }
            return nil
        }
        guard id != nil || ref != nil else { return nil }
        return CustomerReference(id: id, externalRef: ref)
    }

    /// The customer's id in this tenant; 404 when there is none.
    func resolve(in tenant: TenantStore) async throws -> Int64 {
        if let id, try await tenant.customer(id: id) != nil { return id }
        if let externalRef, let customer = try await tenant.customer(externalRef: externalRef) { return customer.id }
        throw APIError.notFound("no such customer")
    }
}
