/// An HTTP request method, e.g. `.post` or `HTTPMethod("PROPFIND")`.
public struct HTTPMethod: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static let get = HTTPMethod("GET")
    public static let head = HTTPMethod("HEAD")
    public static let post = HTTPMethod("POST")
    public static let put = HTTPMethod("PUT")
    public static let patch = HTTPMethod("PATCH")
    public static let delete = HTTPMethod("DELETE")

    public var description: String { rawValue }
}

/// One header line; order and repetition are kept as sent or received.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An outbound HTTP request. Defaults are the safe ones: TLS verified, no redirects,
/// public addresses only.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// An `http://` or `https://` URL; other schemes are refused.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The whole exchange, from resolving the host to the last byte of the response.
    public var timeout: Duration
    public var connectTimeout: Duration
    public var tls: TLSVerification
    /// Larger responses fail with `CurlError.responseTooLarge`.
    public var maxResponseBytes: Int
    /// How many redirects to follow; 0 returns the redirect response itself.
    public var maxRedirects: Int
    public var policy: OutboundPolicy

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        tls: TLSVerification = .system,
        maxResponseBytes: Int = 10 * 1024 * 1024,
        maxRedirects: Int = 0,
        policy: OutboundPolicy = .publicAddressesOnly
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
        self.policy = policy
    }
}

/// The final response (after any redirects that were followed).
public struct HTTPResponse: Sendable {
    public let status: Int
    /// The headers of the final response, in the order the server sent them.
    public let headers: [HTTPHeader]
    public let body: [UInt8]

    public init(status: Int, headers: [HTTPHeader], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
