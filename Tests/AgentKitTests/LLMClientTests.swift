import AgentKit
import Foundation
import TestSupport
import Testing

/// The client against Tests/Support/fake_llm_server.py, an OpenAI-compatible stand-in.
struct LLMClientTests {
    func client(_ server: FakeLLMServer, apiKey: String? = "sk-test-123", timeout: Duration = .seconds(10)) -> LLMClient {
        LLMClient(configuration: LLMConfiguration(baseURL: server.baseURL, model: "test-model", apiKey: apiKey.map(Secret.init), timeout: timeout))
    }

    @Test func postsModelMessagesAndTemperatureWithTheKeyAsBearer() async throws {
        let server = try await FakeLLMServer(answer: "Hello from the model")
        defer { server.stop() }

        let answer = try await client(server).complete([ChatMessage(.system, "Be brief."), ChatMessage(.user, "Say hello.")], temperature: 0.25)

        #expect(answer == "Hello from the model")
        let (headers, body) = try await server.lastRequest()
        #expect(headers["Authorization"] == "Bearer sk-test-123")
        #expect(headers["Content-Type"] == "application/json")
        #expect(body["model"] as? String == "test-model")
        #expect(body["temperature"] as? Double == 0.25)
        let messages = body["messages"] as? [[String: String]]
        #expect(messages == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Say hello."]])
    }

    @Test func withoutAKeyNoAuthorizationIsSent() async throws {
        let server = try await FakeLLMServer()
        defer { server.stop() }
        _ = try await client(server, apiKey: nil).complete([ChatMessage(.user, "hi")], temperature: 0)
        #expect(try await server.lastRequest().headers["Authorization"] == nil)
    }

    @Test func failuresAreReportedAsLLMErrors() async throws {
        let failing = try await FakeLLMServer(status: 503)
        defer { failing.stop() }
        await #expect { try await client(failing).complete([ChatMessage(.user, "hi")], temperature: 0) }
            throws: { if case LLMError.status(503, _)? = $0 as? LLMError { true } else { false } }

        let garbage = try await FakeLLMServer(rawBody: "{\"choices\": [{\"mess")
        defer { garbage.stop() }
        await #expect { try await client(garbage).complete([ChatMessage(.user, "hi")], temperature: 0) }
            throws: { if case LLMError.malformedResponse? = $0 as? LLMError { true } else { false } }

        let empty = try await FakeLLMServer(answer: "  ")
        defer { empty.stop() }
        await #expect(throws: LLMError.emptyAnswer) { try await client(empty).complete([ChatMessage(.user, "hi")], temperature: 0) }
    }

    @Test func aSlowModelTimesOut() async throws {
        let slow = try await FakeLLMServer(delaySeconds: 5)
        defer { slow.stop() }
        await #expect(throws: LLMError.timedOut) {
            try await client(slow, timeout: .milliseconds(300)).complete([ChatMessage(.user, "hi")], temperature: 0)
        }
    }

    @Test func theConfigurationComesFromTheEnvironment() throws {
        #expect(try LLMConfiguration.fromEnvironment([:]) == nil)
        #expect(try LLMConfiguration.fromEnvironment(["ARREARS_LLM_URL": "  "]) == nil)
        let configuration = try #require(try LLMConfiguration.fromEnvironment([
            "ARREARS_LLM_URL": "https://llm.example.com/v1/", "ARREARS_LLM_MODEL": "gpt-4o-mini",
            "ARREARS_LLM_API_KEY": "sk-secret", "ARREARS_LLM_TIMEOUT": "12.5",
        ]))
        #expect(configuration.baseURL == "https://llm.example.com/v1/")
        #expect(configuration.model == "gpt-4o-mini")
        #expect(configuration.apiKey?.reveal() == "sk-secret")
        #expect(configuration.timeout == .milliseconds(12_500))
        #expect(!"\(configuration)".contains("sk-secret"))

        #expect(throws: LLMConfigurationError.missingModel) { try LLMConfiguration.fromEnvironment(["ARREARS_LLM_URL": "https://llm.example.com/v1"]) }
        #expect(throws: LLMConfigurationError.invalidURL) {
            try LLMConfiguration.fromEnvironment(["ARREARS_LLM_URL": "llm.example.com", "ARREARS_LLM_MODEL": "m"])
        }
        // The endpoint instead of the base it is under is refused at start.
        #expect(throws: LLMConfigurationError.endpointNotBase) {
            try LLMConfiguration.fromEnvironment(["ARREARS_LLM_URL": "https://llm.internal/v1/chat/completions", "ARREARS_LLM_MODEL": "m"])
        }
        #expect(throws: LLMConfigurationError.invalidTimeout("soon")) {
            try LLMConfiguration.fromEnvironment(["ARREARS_LLM_URL": "http://127.0.0.1:11434/v1", "ARREARS_LLM_MODEL": "m", "ARREARS_LLM_TIMEOUT": "soon"])
        }
    }
}
