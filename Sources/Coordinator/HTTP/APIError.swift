import HTTPTypes
import Hummingbird
import Store

/// Every error the API answers with: `{"error": {"code", "message", "details"}}`, Stripe-like.
/// `code` is stable for programs, `message` is for people, `details` lists each problem.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var details: [ErrorDetail]
    var headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, details: [ErrorDetail] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    static func notFound(_ what: String = "no such object") -> APIError {
        APIError(.notFound, "not_found", what)
    }

    static func invalidRequest(_ message: String, details: [ErrorDetail] = []) -> APIError {
        APIError(.badRequest, "invalid_request", message, details: details)
    }

    static func validation(_ message: String, details: [ErrorDetail] = []) -> APIError {
        APIError(.unprocessableContent, "validation_failed", message, details: details)
    }

    var response: APIResponse {
        var json = JSONWriter()
        json.object {
            $0.key("error")
            $0.object {
                $0.field("code", code)
                $0.field("message", message)
                $0.key("details")
                $0.array { array in
                    for detail in details { detail.write(to: &array) }
                }
            }
        }
        return APIResponse(status: status, body: json.bytes, headers: headers)
    }

    /// What the store's refusals mean to a client.
    init(_ error: StoreError) {
        switch error {
        case .notFound(let message):
            self.init(.notFound, "not_found", message)
        case .conflict(let code, let message):
            self.init(.conflict, code, message)
        case .invalid(let field, let message):
            self.init(.unprocessableContent, "validation_failed", message,
                      details: field.map { [ErrorDetail(field: $0, reason: message)] } ?? [])
        case .database:
            self.init(.internalServerError, "internal_error", "the request could not be completed")
        }
    }
}

/// One problem of a request: ordered fields, each text or a number.
struct ErrorDetail: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case text(String)
        case number(Int)
        case null
    }

    var fields: [(String, Value)]

    static func == (lhs: ErrorDetail, rhs: ErrorDetail) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    init(field: String, reason: String) {
        fields = [("field", .text(field)), ("reason", .text(reason))]
    }

    init(line: Int, column: String?, reason: String) {
        fields = [("line", .number(line)), ("column", column.map(Value.text) ?? .null), ("reason", .text(reason))]
    }

    func write(to json: inout JSONWriter) {
        json.object {
            for (name, value) in fields {
                switch value {
                case .text(let text): $0.field(name, text)
                case .number(let number): $0.field(name, number)
                case .null: $0.field(name, String?.none)
                }
            }
        }
    }
}

/// What a handler answers: status, JSON (or other) bytes and extra headers.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var contentType = "application/json"
    var body: [UInt8]
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, contentType: String = "application/json", body: [UInt8], headers: HTTPFields = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func json(_ status: HTTPResponse.Status = .ok, _ write: (inout JSONWriter) -> Void) -> APIResponse {
        var json = JSONWriter()
        write(&json)
        return APIResponse(status: status, body: json.bytes)
    }

    static func json(_ status: HTTPResponse.Status, _ value: some JSONRepresentable) -> APIResponse {
        json(status) { value.write(to: &$0) }
    }

    static func json(_ value: some JSONRepresentable) -> APIResponse {
        json(.ok, value)
    }

    var hummingbird: Response {
        var fields = headers
        fields[.contentType] = contentType
        fields[.contentLength] = String(body.count)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
