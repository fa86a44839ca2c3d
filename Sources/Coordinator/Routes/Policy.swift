import Dunning
import Foundation
import Store

extension AdminAPI {
    /// The dunning policy: GET shows the tenant's (or the standard one), PUT replaces it with a
    /// document that `Dunning.Policy` accepts, keys left out taking their defaults.
    var policyEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/policy", .tenantRead) { call in
                var query = call.query
                try query.finish()
                let stored = try await inTenant(call) { try await $0.policy() }
                return .json { json in
                    Self.writePolicy(&json, document: stored?.document ?? Self.standardPolicyDocument,
                                     version: stored?.version ?? 0, updatedAt: stored?.updatedAt)
                }
            },
            Endpoint(.put, "/v1/policy", .tenantWrite) { call in
                guard case .object = try call.json() else {
                    throw APIError(.badRequest, "invalid_request", "the policy must be a JSON object")
                }
                let policy: Policy
                do {
                    policy = try Policy.decode(json: Data(call.body))
                } catch let error as PolicyValidationError {
                    throw APIError(.unprocessableContent, "invalid_policy", "the policy has \(error.problems.count) problem(s)",
                                   details: error.problems.map { ErrorDetail(field: $0.path, reason: $0.message) })
                }
                let document = Self.encode(policy)
                let stored = try await inTenant(call) { try await $0.replacePolicy(document: document) }
                return .json { json in
                    Self.writePolicy(&json, document: stored.document, version: stored.version, updatedAt: stored.updatedAt)
                }
            },
        ]
    }

    static let standardPolicyDocument = encode(.standard)

    static func encode(_ policy: Policy) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(policy)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func writePolicy(_ json: inout JSONWriter, document: String, version: Int, updatedAt: Date?) {
        json.object {
            $0.field("object", "policy")
            $0.field("version", version)
            $0.field("updated_at", updatedAt)
            $0.key("document")
            $0.raw(document)
        }
    }
}
