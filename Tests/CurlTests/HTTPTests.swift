import Curl
import Foundation
import TestSupport
import Testing

/// HTTP through libcurl against a real local server (Tests/Support/http_echo_server.py).
/// The server is on loopback, so requests opt into private addresses unless a test is
/// about the guard itself.
struct HTTPTests {
    let client = CurlClient.shared

    private func request(
        _ url: String, method: HTTPMethod = .get, headers: [HTTPHeader] = [], body: [UInt8] = []
    ) -> HTTPRequest {
        HTTPRequest(method: method, url: url, headers: headers, body: body, policy: .privateAddressesAllowed)
    }

    @Test func getSendsHeadersAndReturnsTheResponse() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(
            echo.url("/echo?q=1"),
            headers: [HTTPHeader("X-Tenant", "acme"), HTTPHeader("X-Empty", "")]))

        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let seen = try EchoedRequest(response.body)
        #expect(seen.method == "GET")
        #expect(seen.path == "/echo?q=1")
        #expect(seen.header("X-Tenant") == "acme")
        #expect(seen.header("X-Empty") == "")
        #expect(seen.header("Content-Type") == nil)
        #expect(seen.header("Expect") == nil)
        #expect(seen.body.isEmpty)
    }

    @Test func postDeliversBinaryBodyExactly() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        let body = Array(0...255).map(UInt8.init) + Array(repeating: 0, count: 5000)

        let response = try await client.perform(request(
            echo.url("/echo"), method: .post,
            headers: [HTTPHeader("Content-Type", "application/octet-stream")], body: body))

        let seen = try EchoedRequest(response.body)
        #expect(seen.method == "POST")
        #expect(seen.body == body)
        #expect(seen.header("Content-Type") == "application/octet-stream")
        #expect(seen.header("Content-Length") == "\(body.count)")
    }

    @Test(arguments: [HTTPMethod.get, .put, .patch, .delete, HTTPMethod("PROPFIND")])
    func methodsWithABodyArriveAsSent(_ method: HTTPMethod) async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(
            echo.url("/echo"), method: method, body: Array("payload".utf8)))

        let seen = try EchoedRequest(response.body)
        #expect(seen.method == method.rawValue)
        #expect(seen.body == Array("payload".utf8))
        #expect(seen.header("Content-Type") == nil)
    }

    @Test func deleteWithoutABody() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(echo.url("/echo"), method: .delete))

        let seen = try EchoedRequest(response.body)
        #expect(seen.method == "DELETE")
        #expect(seen.header("Content-Length") == nil)
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(echo.url("/bytes/100"), method: .head))

        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "100")
        #expect(response.body.isEmpty)
    }

    @Test(arguments: [201, 204, 301, 404, 500, 503])
    func statusCodesAreReturnedNotThrown(_ status: Int) async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(echo.url("/status/\(status)")))

        #expect(response.status == status)
    }

    @Test func responseHeadersKeepOrderAndRepeats() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let response = try await client.perform(request(echo.url("/headers")))

        let custom = response.headers.filter { $0.name.hasPrefix("X-") }
        #expect(custom == [
            HTTPHeader("X-First", "1"), HTTPHeader("X-Repeat", "a"),
            HTTPHeader("X-Repeat", "b"), HTTPHeader("X-Last", "z"),
        ])
    }

    @Test func redirectsAreNotFollowedUnlessAsked() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let unfollowed = try await client.perform(request(echo.url("/redirect?to=/echo")))
        #expect(unfollowed.status == 302)
        #expect(unfollowed.header("Location") == "/echo")

        var following = request(echo.url("/redirect?to=/echo"))
        following.maxRedirects = 3
        let followed = try await client.perform(following)
        #expect(followed.status == 200)
        #expect(followed.header("Location") == nil)
        #expect(try EchoedRequest(followed.body).path == "/echo")
    }

    @Test func slowServerTimesOut() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        var slow = request(echo.url("/slow/30"))
        slow.timeout = .milliseconds(300)

        let error = await #expect(throws: CurlError.self) { try await client.perform(slow) }

        #expect(error?.code == CurlError.operationTimedOut)
    }

    @Test(arguments: ["/bytes/5000", "/stream/5000"])
    func responsesOverTheLimitFail(_ path: String) async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        var large = request(echo.url(path))
        large.maxResponseBytes = 1000

        let error = await #expect(throws: CurlError.self) { try await client.perform(large) }

        #expect(error?.code == CurlError.responseTooLarge)
        #expect(error?.message.contains("1000 bytes") == true)
    }

    @Test(arguments: ["/bytes/1000", "/stream/1000"])
    func responsesAtTheLimitArrive(_ path: String) async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        var exact = request(echo.url(path))
        exact.maxResponseBytes = 1000

        let response = try await client.perform(exact)

        #expect(response.body.count == 1000)
    }

    @Test func privateAddressesAreRefusedByDefault() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(url: echo.url("/refused")))
        }
        #expect(error?.code == CurlError.couldNotConnect)
        #expect(error?.refusedAddress == "127.0.0.1")
        #expect(error?.message.contains("allowPrivateAddresses") == true)

        let allowed = try await client.perform(HTTPRequest(url: echo.url("/allowed"), policy: .privateAddressesAllowed))
        #expect(allowed.status == 404)
        // The server's output reaches the test on another thread: wait for the line.
        try await echo.server.waitForLine("REQUEST GET /allowed")
        #expect(!echo.server.hasPrinted("REQUEST GET /refused"))
    }

    @Test func hostNamesAreJudgedByTheAddressTheyResolveTo() async throws {
        let echo = try await EchoServer(host: "localhost")
        defer { echo.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(url: echo.url("/echo")))
        }

        #expect(error?.code == CurlError.couldNotConnect)
        #expect(["127.0.0.1", "::1"].contains(error?.refusedAddress))
    }

    @Test func reusedConnectionsDoNotBypassThePolicy() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }

        _ = try await client.perform(request(echo.url("/echo")))
        let error = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(url: echo.url("/echo")))
        }

        #expect(error?.refusedAddress == "127.0.0.1")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/", "dict://127.0.0.1/"])
    func onlyHTTPSchemesAreAllowed(_ url: String) async throws {
        let error = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(url: url, policy: .privateAddressesAllowed))
        }

        #expect(error?.code == 1)  // CURLE_UNSUPPORTED_PROTOCOL
    }

    @Test func redirectsToOtherSchemesAreRefused() async throws {
        let echo = try await EchoServer()
        defer { echo.stop() }
        var following = request(echo.url("/redirect?to=file:///etc/passwd"))
        following.maxRedirects = 3

        let error = await #expect(throws: CurlError.self) { try await client.perform(following) }

        #expect(error?.code == 1)  // CURLE_UNSUPPORTED_PROTOCOL
    }

    @Test func headerInjectionIsRejected() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await client.perform(request(
                "http://127.0.0.1:1/", headers: [HTTPHeader("X-Note", "a\r\nX-Injected: 1")]))
        }

        #expect(error?.code == CurlError.badArgument)
    }

    @Test func unreachableServerFailsWithAReason() async throws {
        let closed = ClosedPort()

        let error = await #expect(throws: CurlError.self) {
            try await client.perform(request("http://127.0.0.1:\(closed.port)/"))
        }

        #expect(error?.code == CurlError.couldNotConnect)
        #expect(error?.refusedAddress == nil)
        #expect(error?.message.contains("\(closed.port)") == true)
    }
}
