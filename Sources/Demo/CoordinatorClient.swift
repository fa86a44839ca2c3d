import Curl
import Foundation

/// Scripted customers and their bank, talking to the coordinator as a mail provider and an ERP
/// would: replies and bounces through the inbound webhook, payments through the admin API.
public struct CoordinatorClient: Sendable {
    public let baseURL: String
    public let key: String
    public let tenantSlug: String

    public init(baseURL: String, key: String, tenantSlug: String) {
        self.baseURL = baseURL
        self.key = key
        self.tenantSlug = tenantSlug
    }

    public func postPayment(_ body: [String: Any]) async throws {
        try await post("/v1/payments", json: body)
    }

    public func postReply(_ body: [String: Any]) async throws {
        try await post("/v1/inbound/email?tenant=\(tenantSlug)", json: body)
    }

    public func postRawMessage(_ raw: String) async throws {
        try await send(path: "/v1/inbound/email?tenant=\(tenantSlug)", body: Array(raw.utf8), contentType: "message/rfc822")
    }

    private func post(_ path: String, json: [String: Any]) async throws {
        let body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        try await send(path: path, body: Array(body), contentType: "application/json")
    }

    private func send(path: String, body: [UInt8], contentType: String) async throws {
        let request = HTTPRequest(
            method: .post, url: baseURL + path,
            headers: [HTTPHeader("Authorization", "Bearer \(key)"), HTTPHeader("Content-Type", contentType)],
            body: body, timeout: .seconds(30), policy: .privateAddressesAllowed)
        let response = try await CurlClient.shared.perform(request)
        guard (200..<300).contains(response.status) else {
            throw DemoError("\(path) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
    }
}

public struct DemoError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
