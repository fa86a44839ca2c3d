import Curl
import Foundation

/// Tests/Support/http_echo_server.py, over HTTP or (with certificates) HTTPS.
public final class EchoServer: Sendable {
    public let server: LocalServer
    public let baseURL: String

    public init(tls certificates: TestCertificates? = nil, host: String = "127.0.0.1") async throws {
        var arguments: [String] = []
        if let certificates {
            arguments += ["--tls-cert", certificates.certificateFile, "--tls-key", certificates.keyFile]
        }
        server = try await LocalServer(script: "http_echo_server.py", arguments: arguments)
        baseURL = "\(certificates == nil ? "http" : "https")://\(host):\(server.port)"
    }

    public func url(_ path: String) -> String {
        baseURL + path
    }

    /// The requests /record/<key> kept, oldest first.
    public func recorded(_ key: String) async throws -> [EchoedRequest] {
        let response = try await CurlClient.shared.perform(HTTPRequest(url: url("/recorded/\(key)"), policy: .privateAddressesAllowed))
        return try JSONDecoder().decode([EchoedRequest].self, from: Data(response.body))
    }

    /// A URL answered with `json` as the body.
    public func jsonURL(_ json: String) -> String {
        let encoded = Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return url("/json/\(encoded)")
    }

    public func stop() {
        server.stop()
    }
}

/// What /echo reports about the request it received.
public struct EchoedRequest: Decodable {
    public let method: String
    public let path: String
    public let headers: [[String]]
    public let bodyBase64: String

    enum CodingKeys: String, CodingKey {
        case method, path, headers
        case bodyBase64 = "body_base64"
    }

    public init(_ body: [UInt8]) throws {
        self = try JSONDecoder().decode(EchoedRequest.self, from: Data(body))
    }

    public var body: [UInt8] { Array(Data(base64Encoded: bodyBase64) ?? Data()) }

    public func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }
}
