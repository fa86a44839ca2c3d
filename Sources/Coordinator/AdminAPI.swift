import AgentKit
import Crypto
import Curl
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Migrations
import Queue
import Store

/// How the admin API behaves; `arrears serve` fills it from flags and the environment.
public struct AdminAPIConfiguration: Sendable {
    /// The operator's key (ARREARS_OPERATOR_KEY); without one the operator endpoints answer 401.
    public var operatorKey: String?
    /// Requests per second per tenant (ARREARS_RATE_LIMIT), 0 for no limit.
    public var rateLimit: Double
    /// The most requests a tenant may make at once after a quiet spell (ARREARS_RATE_LIMIT_BURST).
    public var rateLimitBurst: Double
    /// How long a verified key is remembered before it is looked up again.
    public var keyCacheTTL: Duration
    /// Seals and opens tenant secrets (ARREARS_SECRET_KEY, read once at start); without one a
    /// tenant cannot set a secret.
    public var secretBox: SecretBox?
    /// Which hosts tenant URLs may name (ARREARS_ALLOW_PRIVATE_URLS).
    public var outboundPolicy: OutboundPolicy

    public init(operatorKey: String? = nil, rateLimit: Double = 100, rateLimitBurst: Double = 200,
                keyCacheTTL: Duration = .seconds(5), secretBox: SecretBox? = nil,
                outboundPolicy: OutboundPolicy = .publicAddressesOnly) {
        self.operatorKey = operatorKey
        self.rateLimit = rateLimit
        self.rateLimitBurst = rateLimitBurst
        self.keyCacheTTL = keyCacheTTL
        self.secretBox = secretBox
        self.outboundPolicy = outboundPolicy
    }
}

/// The admin API: operator endpoints (tenants, keys) and tenant endpoints (the book, the
/// policy, the audit log, reports), hand-written on Hummingbird and described by
/// Schema/openapi.yaml, which a test holds it to.
public struct AdminAPI: Sendable {
    let store: Store
    let queue: TaskQueue
    let authenticator: Authenticator
    let limiter: RateLimiter
    let secretBox: SecretBox?
    let outboundPolicy: OutboundPolicy
    let migrations: [Migration]
    let logger: Logger

    public init(store: Store, configuration: AdminAPIConfiguration, migrations: [Migration], logger: Logger) {
        self.store = store
        queue = TaskQueue(pool: store.pool, logger: logger)
        authenticator = Authenticator(store: store, operatorKey: configuration.operatorKey, ttl: configuration.keyCacheTTL)
        limiter = RateLimiter(rate: configuration.rateLimit, burst: configuration.rateLimitBurst)
        secretBox = configuration.secretBox
        outboundPolicy = configuration.outboundPolicy
        self.migrations = migrations
        self.logger = logger
    }

    var endpoints: [Endpoint] {
        serviceEndpoints + operatorEndpoints + customerEndpoints + contactEndpoints + invoiceEndpoints + paymentEndpoints
            + collectionEndpoints + policyEndpoints + reportEndpoints + importEndpoints + taskEndpoints
            + settingsEndpoints + inboundEndpoints
    }

    /// Every operation as (METHOD, /path/{template}), as the spec lists them.
    public var routes: [(method: String, path: String)] {
        endpoints.map { ($0.method.rawValue, $0.path) }
    }

    public func router() -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware<APIContext>())
        router.add(middleware: ErrorMiddleware(routes: RouteTable(routes)))
        for endpoint in endpoints {
            router.on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                try await respond(endpoint, request, context)
            }
        }
        addDashboardRoutes(to: router)
        return router
    }

    private func respond(_ endpoint: Endpoint, _ request: Request, _ context: APIContext) async throws -> Response {
        var context = context
        var request = request
        do {
            try await authorize(endpoint.access, request, &context)
            var body: [UInt8] = []
            if [.post, .put, .patch].contains(request.method) {
                do {
                    body = Array(buffer: try await request.collectBody(upTo: endpoint.bodyLimit))
                } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                    throw APIError(.contentTooLarge, "body_too_large", "the body may be at most \(endpoint.bodyLimit) bytes")
                }
            }
            let call = Call(request: request, context: context, body: body)
            if request.method == .post, endpoint.access != .inbound, let key = request.headers[.idempotencyKey] {
                return try await idempotent(key: key, endpoint, call).hummingbird
            }
            return await run(endpoint, call).hummingbird
        } catch let error as APIError {
            return error.response.hummingbird
        }
    }

    private func authorize(_ access: Access, _ request: Request, _ context: inout APIContext) async throws {
        let unauthenticated = Self.unauthenticated
        switch access {
        case .open, .inbound:
            return
        case .operatorKey:
            guard authenticator.operatorKeyConfigured else {
                throw unauthenticated("the operator API is off: set ARREARS_OPERATOR_KEY")
            }
            guard let key = Self.bearer(request), authenticator.isOperator(key) else {
                throw unauthenticated("send the operator key as Authorization: Bearer <key>")
            }
        case .tenantRead, .tenantWrite:
            guard let key = Self.bearer(request) else {
                throw unauthenticated("send an API key as Authorization: Bearer <key>")
            }
            let principal: TenantPrincipal?
            do {
                principal = try await authenticator.principal(for: key)
            } catch {
                logger.error("key lookup failed", metadata: ["error": "\(error)", "request_id": "\(context.requestID)"])
                throw APIError(.serviceUnavailable, "unavailable", "the database cannot be reached; try again")
            }
            guard let principal else { throw unauthenticated("the API key is not valid or was revoked") }
            guard principal.tenantStatus == "active" else {
                throw APIError(.forbidden, "tenant_suspended", "this tenant is suspended")
            }
            if access == .tenantWrite, principal.role == .readOnly {
                throw APIError(.forbidden, "forbidden", "this API key is read-only")
            }
            if let retryAfter = limiter.admit(principal.tenantID) {
                var headers = HTTPFields()
                headers[.retryAfter] = String(retryAfter)
                throw APIError(.tooManyRequests, "rate_limited", "too many requests; retry after \(retryAfter) s", headers: headers)
            }
            context.principal = principal
            context.logger[metadataKey: "tenant_id"] = .stringConvertible(principal.tenantID)
        }
    }

    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// Runs a handler; every failure becomes an error response, so idempotency can store it.
    private func run(_ endpoint: Endpoint, _ call: Call) async -> APIResponse {
        do {
            return try await endpoint.handler(call)
        } catch let error as APIError {
            return error.response
        } catch let error as StoreError {
            if case .database(let underlying) = error {
                call.context.logger.error("database error", metadata: ["error": "\(underlying)"])
                if underlying.isConnectionFailure {
                    return APIError(.serviceUnavailable, "unavailable", "the database cannot be reached; try again").response
                }
            }
            return APIError(error).response
        } catch let error as ImportRejected {
            return APIError(.unprocessableContent, "import_rejected",
                            "the file was not imported: \(error.problems.count) problem(s); nothing was written",
                            details: error.problems.map { ErrorDetail(line: $0.line, column: $0.column, reason: $0.reason) }).response
        } catch {
            call.context.logger.error("request failed", metadata: ["error": "\(error)"])
            return APIError(.internalServerError, "internal_error", "the request could not be completed").response
        }
    }

    /// The first response to a POST with an Idempotency-Key is stored and replayed for retries;
    /// the same key with a different request is refused. Server errors are not stored, so a
    /// retry after one runs again, and neither is anything when the coordinator dies mid-request:
    /// a retry takes that claim over once it is a minute old.
    private func idempotent(key: String, _ endpoint: Endpoint, _ call: Call) async throws -> APIResponse {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw APIError.invalidRequest("Idempotency-Key must be 1 to 255 printable ASCII characters")
        }
        let scope = call.context.principal?.tenantID ?? Store.operatorScope
        var hasher = SHA256()
        hasher.update(data: Data("\(call.request.method.rawValue) \(call.request.uri.path)?\(call.request.uri.query ?? "")\n".utf8))
        hasher.update(data: call.body)
        let hash = Data(hasher.finalize())
        switch try await store.claimIdempotencyKey(scope: scope, key: key, requestHash: hash) {
        case .replay(let status, let contentType, let body):
            var headers = HTTPFields()
            headers[.idempotentReplayed] = "true"
            return APIResponse(status: HTTPResponse.Status(code: status), contentType: contentType, body: Array(body), headers: headers)
        case .inProgress:
            throw APIError(.conflict, "idempotency_in_progress", "a request with this Idempotency-Key is still being answered")
        case .mismatch:
            throw APIError(.unprocessableContent, "idempotency_key_reused",
                           "this Idempotency-Key was used for a different request")
        case .claimed:
            let response = await run(endpoint, call)
            if response.status.code >= 500 {
                try await store.releaseIdempotencyKey(scope: scope, key: key)
            } else {
                try await store.completeIdempotencyKey(scope: scope, key: key, status: response.status.code,
                                                       contentType: response.contentType, body: Data(response.body))
            }
            return response
        }
    }
}
