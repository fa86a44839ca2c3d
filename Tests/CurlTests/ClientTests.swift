import Curl
import TestSupport
import Testing

/// The client as a shared, concurrent, cancellable service.
struct ClientTests {
    @Test func concurrentRequestsEachGetTheirOwnResponse() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        let client = CurlClient.shared

        let bodies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<24 {
                group.addTask {
                    let response = try await client.perform(HTTPRequest(
                        method: .post, url: echo.url("/echo"), body: Array("request \(index)".utf8),
                        policy: .privateAddressesAllowed))
                    return (index, try EchoedRequest(response.body).body)
                }
            }
            return try await group.reduce(into: [Int: [UInt8]]()) { $0[$1.0] = $1.1 }
        }

        #expect(bodies.count == 24)
        for (index, body) in bodies {
            #expect(body == Array("request \(index)".utf8))
        }
    }

    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        let client = CurlClient.shared

        let slow = Task {
            try await client.perform(HTTPRequest(
                url: echo.url("/slow/60"), timeout: .seconds(120), policy: .privateAddressesAllowed))
        }
        try await echo.server.waitForLine("REQUEST GET /slow/60")
        slow.cancel()

        await #expect(throws: CancellationError.self) { try await slow.value }
        let after = try await client.perform(HTTPRequest(url: echo.url("/echo"), policy: .privateAddressesAllowed))
        #expect(after.status == 200)
    }

    @Test func aTaskCancelledBeforehandNeverSends() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        let client = CurlClient.shared

        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.perform(HTTPRequest(url: echo.url("/never"), policy: .privateAddressesAllowed))
        }

        await #expect(throws: CancellationError.self) { try await cancelled.value }
        _ = try await client.perform(HTTPRequest(url: echo.url("/after"), policy: .privateAddressesAllowed))
        #expect(!echo.server.hasPrinted("REQUEST GET /never"))
    }

    @Test func separateClientsWorkAndShutDown() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        for _ in 0..<3 {
            let client = CurlClient()
            let response = try await client.perform(HTTPRequest(url: echo.url("/echo"), policy: .privateAddressesAllowed))
            #expect(response.status == 200)
        }
    }
}
