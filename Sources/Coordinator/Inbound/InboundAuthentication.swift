import AgentKit
import Crypto
import Foundation
import HTTPTypes
import Store

extension HTTPField.Name {
    static let arrearsSignature = HTTPField.Name(WebhookSignature.headerName)!
}

extension AdminAPI {
    /// Who posts to the inbound webhook: the tenant named by `?tenant=<slug>`, proven by its
    /// inbound secret as a bearer token (compared in constant time), by an `Arrears-Signature`
    /// keyed with that secret, or by one of its admin API keys. An unknown slug answers exactly
    /// as a wrong secret does (401), so slugs cannot be probed. Returns the tenant and the actor
    /// for the audit log.
    func authenticateInbound(_ call: Call) async throws -> (tenant: Tenant, actor: String) {
        var query = call.query
        let slug = query.string("tenant")
        try query.finish()
        guard let slug else {
            throw APIError(.badRequest, "invalid_parameter", "name the tenant as ?tenant=<slug>",
                           details: [ErrorDetail(field: "tenant", reason: "is required")])
        }
        let bearer = Self.bearer(call.request)
        let signature = call.request.headers[.arrearsSignature]
        guard bearer != nil || signature != nil else {
            throw Self.unauthenticated("send the tenant's inbound secret as Authorization: Bearer <secret>, "
                                       + "sign the body with it (Arrears-Signature), or send an admin API key")
        }
        let tenant: Tenant?
        do {
            tenant = try await store.tenant(slug: slug)
        } catch {
            call.context.logger.error("tenant lookup failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "unavailable", "the database cannot be reached; try again")
        }
        var actor: String?
        if let tenant {
            if let secret = try await inboundSecret(of: tenant, call) {
                if let bearer, constantTimeEqual(Array(SHA256.hash(data: Data(bearer.utf8))), Array(SHA256.hash(data: Data(secret.reveal().utf8)))) {
                    actor = "inbound_secret"
                } else if let signature, WebhookSignature.verify(signature, body: call.body, secret: secret) {
                    actor = "inbound_signature"
                }
            }
            if actor == nil, let bearer, let principal = try await keyPrincipal(bearer, call), principal.tenantID == tenant.id {
                guard principal.role == .admin else { throw APIError(.forbidden, "forbidden", "this API key is read-only") }
                actor = principal.actor
            }
        }
        guard let tenant, let actor else {
            throw Self.unauthenticated("the credentials are not valid for this tenant")
        }
        guard tenant.status == "active" else {
            throw APIError(.forbidden, "tenant_suspended", "this tenant is suspended")
        }
        if let retryAfter = limiter.admit(tenant.id) {
            var headers = HTTPFields()
            headers[.retryAfter] = String(retryAfter)
            throw APIError(.tooManyRequests, "rate_limited", "too many requests; retry after \(retryAfter) s", headers: headers)
        }
        return (tenant, actor)
    }

    static func unauthenticated(_ message: String) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return APIError(.unauthorized, "unauthenticated", message, headers: headers)
    }

    /// The tenant's inbound secret in the clear, or nil when it has none or it cannot be opened.
    private func inboundSecret(of tenant: Tenant, _ call: Call) async throws -> Secret? {
        let sealed = try await store.withTenant(tenant.id, actor: "inbound") { try await $0.settings().inboundSecretSealed }
        guard let sealed else { return nil }
        guard let secretBox else {
            call.context.logger.warning("the tenant has an inbound secret but ARREARS_SECRET_KEY is not set",
                                        metadata: ["tenant_id": "\(tenant.id)"])
            return nil
        }
        do {
            return try secretBox.open(sealed, purpose: TenantSecret.inboundSecret.purpose(tenantID: tenant.id))
        } catch {
            call.context.logger.warning("the tenant's inbound secret does not open", metadata: ["tenant_id": "\(tenant.id)", "error": "\(error)"])
            return nil
        }
    }

    private func keyPrincipal(_ key: String, _ call: Call) async throws -> TenantPrincipal? {
        guard key.hasPrefix("ark_") else { return nil }
        do {
            return try await authenticator.principal(for: key)
        } catch {
            call.context.logger.error("key lookup failed", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "unavailable", "the database cannot be reached; try again")
        }
    }
}
