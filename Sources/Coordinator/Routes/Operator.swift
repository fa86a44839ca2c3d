import Store

extension AdminAPI {
    var operatorEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/v1/tenants", .operatorKey) { call in
                var body = try call.object()
                body.requirePresent("slug", "name")
                let slug = body.string("slug", rule: FieldRules.tenantSlug)
                let name = body.string("name") { FieldRules.text($0, minimum: 1, maximum: 200) }
                let timeZone = body.string("time_zone", rule: FieldRules.timeZone)
                try body.finish()
                let (tenant, key) = try await store.createTenant(slug: slug.value!, name: name.value!, timeZone: timeZone.value ?? "UTC")
                return .json(.created) { json in
                    json.object {
                        $0.key("tenant")
                        tenant.write(to: &$0)
                        $0.key("api_key")
                        key.key.write(to: &$0, secret: key.secret)
                    }
                }
            },
            Endpoint(.get, "/v1/tenants", .operatorKey) { call in
                var query = call.query
                let status = query.oneOf("status", ["active", "suspended"])
                let page = query.page()
                try query.finish()
                let tenants = try await store.tenants(status: status, page: page)
                return .json { tenants.write(to: &$0) }
            },
            Endpoint(.get, "/v1/tenants/{tenant_id}", .operatorKey) { call in
                guard let tenant = try await store.tenant(id: try call.id("tenant_id")) else { throw APIError.notFound("no such tenant") }
                return .json(tenant)
            },
            Endpoint(.post, "/v1/tenants/{tenant_id}/suspend", .operatorKey) { call in
                try await setStatus(call, "suspended")
            },
            Endpoint(.post, "/v1/tenants/{tenant_id}/activate", .operatorKey) { call in
                try await setStatus(call, "active")
            },
            Endpoint(.post, "/v1/tenants/{tenant_id}/keys", .operatorKey) { call in
                let tenantID = try call.id("tenant_id")
                var body = try call.object()
                let role = body.oneOf("role", APIKeyRole.allCases.map(\.rawValue))
                let name = body.string("name") { FieldRules.text($0, maximum: 200) }
                try body.finish()
                guard let issued = try await store.issueKey(
                    tenantID: tenantID, role: role.value.flatMap(APIKeyRole.init(rawValue:)) ?? .admin, name: name.value ?? "")
                else { throw APIError.notFound("no such tenant") }
                return .json(.created) { issued.key.write(to: &$0, secret: issued.secret) }
            },
            Endpoint(.get, "/v1/tenants/{tenant_id}/keys", .operatorKey) { call in
                let tenantID = try call.id("tenant_id")
                var query = call.query
                let page = query.page()
                try query.finish()
                guard try await store.tenant(id: tenantID) != nil else { throw APIError.notFound("no such tenant") }
                let keys = try await store.keys(tenantID: tenantID, page: page)
                return .json { keys.write(to: &$0) }
            },
            Endpoint(.delete, "/v1/tenants/{tenant_id}/keys/{key_id}", .operatorKey) { call in
                let tenantID = try call.id("tenant_id")
                guard let key = try await store.revokeKey(tenantID: tenantID, keyID: try call.id("key_id")) else {
                    throw APIError.notFound("no such key")
                }
                authenticator.forget(tenantID: tenantID)
                return .json(key)
            },
        ]
    }

    private func setStatus(_ call: Call, _ status: String) async throws -> APIResponse {
        let tenantID = try call.id("tenant_id")
        guard let tenant = try await store.setTenantStatus(id: tenantID, status: status) else {
            throw APIError.notFound("no such tenant")
        }
        authenticator.forget(tenantID: tenantID)
        return .json(tenant)
    }
}
