import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

/// Gives every request an ID — the client's X-Request-ID when it is usable, else a new one —
/// puts it in the log metadata of everything the request logs, and returns it in the response.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        let offered = request.headers[.requestID] ?? ""
        let usable = (1...200).contains(offered.utf8.count) && offered.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        context.requestID = usable ? offered : context.id
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        var response = try await next(request, context)
        response.headers[.requestID] = context.requestID
        return response
    }
}

/// Turns whatever escaped a handler into the API's error shape: the router's 404 (or 405 when
/// the path exists with other methods), body limits, and anything unexpected as a 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let routes: RouteTable

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response.hummingbird
        } catch let error as any HTTPResponseError {
            if error.status == .notFound {
                let allowed = routes.methods(forPath: request.uri.path)
                if !allowed.isEmpty {
                    var headers = HTTPFields()
                    headers[.allow] = allowed.joined(separator: ", ")
                    return APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed here",
                                    headers: headers).response.hummingbird
                }
                return APIError.notFound("no such endpoint").response.hummingbird
            }
            if error.status == .contentTooLarge {
                return APIError(.contentTooLarge, "body_too_large", "the body is too large").response.hummingbird
            }
            return APIError(error.status, "invalid_request", error.status.reasonPhrase).response.hummingbird
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return APIError(.internalServerError, "internal_error", "the request could not be completed").response.hummingbird
        }
    }
}

/// The API's path templates, to tell a wrong method (405) from a wrong path (404).
struct RouteTable: Sendable {
    private let routes: [(segments: [Substring], method: String)]

    init(_ routes: [(method: String, path: String)]) {
        self.routes = routes.map { (segments: $0.path.split(separator: "/"), method: $0.method) }
    }

    func methods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/")
        var methods: [String] = []
        for route in routes where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { template, segment in
                template.first == "{" || template == segment
            }
            if matches, !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods.sorted()
    }
}
