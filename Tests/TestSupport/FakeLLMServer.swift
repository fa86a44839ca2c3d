import Curl
import Foundation

/// Tests/Support/fake_llm_server.py: an OpenAI-compatible chat endpoint that gives a set answer,
/// slowly or with an error status if asked to.
public final class FakeLLMServer: Sendable {
    public let server: LocalServer
    /// The API base to configure: requests go to `{baseURL}/chat/completions`.
    public let baseURL: String

    public init(answer: String = "OK", delaySeconds: Double? = nil, status: Int? = nil, rawBody: String? = nil) async throws {
        var arguments = ["--answer", answer]
        if let delaySeconds { arguments += ["--delay", String(delaySeconds)] }
        if let status { arguments += ["--status", String(status)] }
        if let rawBody { arguments += ["--raw", rawBody] }
        server = try await LocalServer(script: "fake_llm_server.py", arguments: arguments)
        baseURL = "http://127.0.0.1:\(server.port)/v1"
    }

    /// The last completion request: its headers and its JSON body.
    public func lastRequest() async throws -> (headers: [String: String], body: [String: Any]) {
        let response = try await CurlClient.shared.perform(HTTPRequest(
            url: "http://127.0.0.1:\(server.port)/last-request", policy: .privateAddressesAllowed))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (object?["headers"] as? [String: String] ?? [:], object?["body"] as? [String: Any] ?? [:])
    }

    /// Whether it has been asked for a completion.
    public var wasAsked: Bool {
        server.hasPrinted("COMPLETION")
    }

    public func stop() {
        server.stop()
    }
}
