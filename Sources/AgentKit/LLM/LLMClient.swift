import Curl
import Foundation

public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A client for an OpenAI-compatible `POST {base}/chat/completions`, over libcurl.
public struct LLMClient: Sendable {
    public let configuration: LLMConfiguration
    private let curl: CurlClient

    public init(configuration: LLMConfiguration, curl: CurlClient = .shared) {
        self.configuration = configuration
        self.curl = curl
    }

    /// The assistant's answer to `messages`. Throws `LLMError` (or `CancellationError`).
    public func complete(_ messages: [ChatMessage], temperature: Double) async throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try encoder.encode(CompletionRequest(model: configuration.model, messages: messages, temperature: temperature))
        var headers = [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")]
        if let key = configuration.apiKey, !key.isEmpty {
            headers.append(HTTPHeader("Authorization", "Bearer " + key.reveal()))
        }
        let request = HTTPRequest(
            method: .post, url: configuration.completionsURL, headers: headers, body: Array(body),
            timeout: configuration.timeout, connectTimeout: min(configuration.timeout, .seconds(10)),
            maxResponseBytes: 1024 * 1024, policy: configuration.policy)

        let response: HTTPResponse
        do {
            response = try await curl.perform(request)
        } catch let error as CurlError {
            throw error.code == CurlError.operationTimedOut ? LLMError.timedOut : LLMError.unreachable(error.description)
        }
        guard (200..<300).contains(response.status) else {
            throw LLMError.status(response.status, Self.excerpt(response.body))
        }
        guard let answer = try? JSONDecoder().decode(CompletionResponse.self, from: Data(response.body)) else {
            throw LLMError.malformedResponse(Self.excerpt(response.body))
        }
        guard let content = answer.choices.first?.message.content, !content.allSatisfy(\.isWhitespace) else {
            throw LLMError.emptyAnswer
        }
        return content
    }

    private static func excerpt(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(300), as: UTF8.self)
    }

    private struct CompletionRequest: Encodable {
        let model: String
        let messages: [ChatMessage]
        let temperature: Double
    }

    private struct CompletionResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                let content: String?
            }

            let message: Message
        }

        let choices: [Choice]
    }
}

public enum LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    case timedOut
    case unreachable(String)
    case status(Int, String)
    case malformedResponse(String)
    case emptyAnswer

    public var description: String {
        switch self {
        case .timedOut: "the language model did not answer in time"
        case .unreachable(let reason): "the language model could not be reached: \(reason)"
        case .status(let status, let body): "the language model answered HTTP \(status): \(body)"
        case .malformedResponse(let body): "the language model's response is not a chat completion: \(body)"
        case .emptyAnswer: "the language model gave an empty answer"
        }
    }
}
