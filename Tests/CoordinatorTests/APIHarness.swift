import AgentKit
import Coordinator
import Curl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Migrations
import Postgres
import Store
import TestSupport

/// Two tenants with keys, on a fresh database: the first has an admin and a read-only key.
struct APIFixture: Sendable {
    let pool: PostgresPool
    let store: Store
    let first: Tenant
    let firstAdmin: String
    let firstReadOnly: String
    let second: Tenant
    let secondAdmin: String

    static let operatorKey = "operator-test-key-0123456789"
    /// ARREARS_SECRET_KEY of the tests' API.
    static let secretBox = try! SecretBox(key: Array(repeating: 7, count: 32))
}

/// Runs `body` against the admin API through Hummingbird's router test client (no sockets).
func withAPI(
    rateLimit: Double = 0, rateLimitBurst: Double = 1, secretBox: SecretBox? = APIFixture.secretBox,
    outboundPolicy: OutboundPolicy = .publicAddressesOnly,
    _ body: @Sendable (APIClient, APIFixture) async throws -> Void
) async throws {
    try await withTestDatabase { pool, _ in
        let store = Store(pool: pool)
        let (first, firstKey) = try await store.createTenant(slug: "first-co", name: "First Co")
        let readOnly = try await store.issueKey(tenantID: first.id, role: .readOnly, name: "reader")!
        let (second, secondKey) = try await store.createTenant(slug: "second-co", name: "Second Co")
        let fixture = APIFixture(pool: pool, store: store, first: first, firstAdmin: firstKey.secret, firstReadOnly: readOnly.secret,
                                 second: second, secondAdmin: secondKey.secret)
        let api = AdminAPI(
            store: store,
            configuration: AdminAPIConfiguration(operatorKey: APIFixture.operatorKey, rateLimit: rateLimit,
                                                 rateLimitBurst: rateLimitBurst, keyCacheTTL: .zero, secretBox: secretBox,
                                                 outboundPolicy: outboundPolicy),
            migrations: try Migration.embedded(), logger: Logger(label: "test"))
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            try await body(APIClient(client: client), fixture)
        }
    }
}

struct APIClient: Sendable {
    let client: any TestClientProtocol

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, key: String?, json: String? = nil,
        body: String? = nil, bytes: [UInt8]? = nil, contentType: String? = nil, headers: [String: String] = [:]
    ) async throws -> APIReply {
        var fields = HTTPFields()
        if let key { fields[.authorization] = "Bearer \(key)" }
        if json != nil { fields[.contentType] = "application/json" }
        if let contentType { fields[.contentType] = contentType }
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        let payload = bytes ?? (json ?? body).map { Array($0.utf8) }
        let response = try await client.executeRequest(
            uri: path, method: method, headers: fields, body: payload.map { ByteBuffer(bytes: $0) })
        return APIReply(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }

    func get(_ path: String, key: String?) async throws -> APIReply {
        try await send(.get, path, key: key)
    }

    func post(_ path: String, key: String?, _ json: String, headers: [String: String] = [:]) async throws -> APIReply {
        try await send(.post, path, key: key, json: json, headers: headers)
    }

    func patch(_ path: String, key: String?, _ json: String) async throws -> APIReply {
        try await send(.patch, path, key: key, json: json)
    }

    func put(_ path: String, key: String?, _ json: String) async throws -> APIReply {
        try await send(.put, path, key: key, json: json)
    }

    /// Creates an object and returns its id, failing loudly when the API refuses.
    func create(_ path: String, key: String, _ json: String) async throws -> Int64 {
        let reply = try await post(path, key: key, json)
        guard reply.status == 201, let id = reply.int("id") else {
            throw ChildProcessError("POST \(path) answered \(reply.status): \(reply.text)")
        }
        return id
    }
}

/// A response with its body read as JSON.
struct APIReply: Sendable {
    let status: Int
    let headers: HTTPFields
    let text: String

    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    func int(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
    func string(_ key: String) -> String? { object[key] as? String }
    var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
    var ids: [Int64] { data.compactMap { ($0["id"] as? NSNumber)?.int64Value } }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorDetails: [[String: Any]] { (object["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? [] }
    var errorFields: [String] { errorDetails.compactMap { $0["field"] as? String } }
}
