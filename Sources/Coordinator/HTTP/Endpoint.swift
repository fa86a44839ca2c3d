import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Who may call an endpoint.
enum Access: Sendable {
    /// Anyone: health, metrics, the spec.
    case open
    /// The SaaS operator's key.
    case operatorKey
    /// Any valid key of an active tenant.
    case tenantRead
    /// A tenant key with the admin role; read-only keys get 403.
    case tenantWrite
    /// The handler authenticates: a mail provider posting to the inbound webhook proves the
    /// tenant with its inbound secret, a signature, or an admin key. No Idempotency-Key: the
    /// message's own Message-ID makes a second delivery harmless.
    case inbound
}

/// What a handler needs to know about its request.
struct Call: Sendable {
    let request: Request
    let context: APIContext
    let body: [UInt8]

    /// The tenant the request acts for (tenant endpoints only).
    var principal: TenantPrincipal { context.principal! }

    /// A path parameter, percent-decoded.
    func parameter(_ name: String) throws(APIError) -> String {
        guard let raw = context.parameters.get(name), let text = raw.removingPercentEncoding,
              FieldRules.text(text, minimum: 1, maximum: 500) == nil
        else { throw APIError.notFound() }
        return text
    }

    /// A numeric id in the path; anything else names no object, so it is a 404 like a missing one.
    func id(_ name: String) throws(APIError) -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else { throw APIError.notFound() }
        return id
    }

    var query: QueryReader { QueryReader(query: request.uri.query ?? "") }

    /// The body as a JSON object reader; the content type must be JSON.
    func object(maximum: Int = Call.maximumJSONBody) throws(APIError) -> ObjectReader {
        try ObjectReader(json(maximum: maximum))
    }

    func json(maximum: Int = Call.maximumJSONBody) throws(APIError) -> JSON {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.isEmpty || Call.mediaType(contentType) == "application/json" else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "send the body as application/json")
        }
        guard body.count <= maximum else {
            throw APIError(.contentTooLarge, "body_too_large", "a JSON body may be at most \(maximum) bytes")
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw APIError(.badRequest, "invalid_json", "the body is not valid JSON: \(error.reason) at byte \(error.offset)")
        }
    }

    static let maximumJSONBody = 1024 * 1024

    /// `text/csv; charset=utf-8` → `text/csv`.
    static func mediaType(_ header: String) -> String {
        header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}

typealias Handler = @Sendable (Call) async throws -> APIResponse

/// One operation of the API, as the spec names it: method and path template.
struct Endpoint: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var access: Access
    /// The most bytes of body read before the request is refused (413): a JSON body's limit
    /// unless the endpoint takes files, so a large body is cut off here, not read whole first.
    var bodyLimit: Int
    var handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, bodyLimit: Int = Call.maximumJSONBody,
         _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}
