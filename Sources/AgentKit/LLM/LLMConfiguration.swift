import Curl
import Foundation

/// The operator's language model: any OpenAI-compatible chat endpoint. Without one, every agent
/// works with templates and rules alone.
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    public static let urlVariable = "ARREARS_LLM_URL"
    public static let modelVariable = "ARREARS_LLM_MODEL"
    public static let apiKeyVariable = "ARREARS_LLM_API_KEY"
    public static let timeoutVariable = "ARREARS_LLM_TIMEOUT"

    /// The API base, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`;
    /// requests go to `{baseURL}/chat/completions`.
    public var baseURL: String
    public var model: String
    /// Sent as `Authorization: Bearer …`; local servers often need none.
    public var apiKey: Secret?
    /// For a whole request, from connecting to the last byte of the answer.
    public var timeout: Duration
    /// The operator chose this endpoint, so it may be on the private network (a local model).
    public var policy: OutboundPolicy

    public init(baseURL: String, model: String, apiKey: Secret? = nil, timeout: Duration = .seconds(30),
                policy: OutboundPolicy = .privateAddressesAllowed) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.policy = policy
    }

    /// Nil when `ARREARS_LLM_URL` is unset or empty. With a URL, `ARREARS_LLM_MODEL` is required;
    /// `ARREARS_LLM_API_KEY` and `ARREARS_LLM_TIMEOUT` (seconds, default 30) are optional.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(LLMConfigurationError) -> LLMConfiguration? {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let url = value(urlVariable) else { return nil }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else { throw .invalidURL }
        // The endpoint's path is appended to the base: named here too, every request would go to
        // …/chat/completions/chat/completions and fail.
        var path = components.path.lowercased()
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/chat/completions") { throw .endpointNotBase }
        guard let model = value(modelVariable) else { throw .missingModel }
        var timeout = Duration.seconds(30)
        if let text = value(timeoutVariable) {
            guard let seconds = Double(text), seconds > 0, seconds <= 600 else { throw .invalidTimeout(text) }
            timeout = .milliseconds(Int64(seconds * 1000))
        }
        return LLMConfiguration(baseURL: url, model: model, apiKey: value(apiKeyVariable).map(Secret.init), timeout: timeout)
    }

    var completionsURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions"
    }

    public var description: String {
        "LLMConfiguration(baseURL: \(baseURL), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"), timeout: \(timeout))"
    }
}

public enum LLMConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL
    case endpointNotBase
    case missingModel
    case invalidTimeout(String)

    public var description: String {
        switch self {
        case .invalidURL:
            "ARREARS_LLM_URL must be an http(s) URL of an OpenAI-compatible API, like https://api.openai.com/v1"
        case .endpointNotBase:
            "ARREARS_LLM_URL names the chat completions endpoint; give the API base it is under, like https://api.openai.com/v1"
        case .missingModel:
            "ARREARS_LLM_URL is set but ARREARS_LLM_MODEL is not; name the model to use, like gpt-4o-mini"
        case .invalidTimeout(let text):
            "ARREARS_LLM_TIMEOUT is \"\(text)\"; give the seconds to wait for an answer, between 0 and 600"
        }
    }
}
