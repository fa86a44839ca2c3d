import Curl
import TestSupport
import Testing

/// TLS verification against a local HTTPS server whose certificate a throwaway CA signed.
struct TLSTests {
    let client = CurlClient.shared

    @Test func verificationFailsWithoutTheCAAndSucceedsWithIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory)
        let echo = try await EchoServer(tls: certificates)
        defer { echo.stop() }

        let untrusted = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(url: echo.url("/echo"), policy: .privateAddressesAllowed))
        }
        #expect(untrusted?.code == CurlError.peerFailedVerification)
        #expect(untrusted?.message.isEmpty == false)

        let trusted = try await client.perform(HTTPRequest(
            url: echo.url("/echo"), tls: .caFile(certificates.caFile), policy: .privateAddressesAllowed))
        #expect(trusted.status == 200)
        #expect(try EchoedRequest(trusted.body).method == "GET")
    }

    @Test func hostNameIsCheckedAgainstTheCertificate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory, names: ["DNS:localhost"])
        let echo = try await EchoServer(tls: certificates)
        defer { echo.stop() }

        let byName = try await client.perform(HTTPRequest(
            url: "https://localhost:\(echo.server.port)/echo", tls: .caFile(certificates.caFile),
            policy: .privateAddressesAllowed))
        #expect(byName.status == 200)

        let byUnnamedAddress = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(
                url: echo.url("/echo"), tls: .caFile(certificates.caFile), policy: .privateAddressesAllowed))
        }
        #expect(byUnnamedAddress?.code == CurlError.peerFailedVerification)
    }

    @Test func aDifferentCADoesNotVouchForTheServer() async throws {
        let serverDirectory = try TemporaryDirectory(), otherDirectory = try TemporaryDirectory()
        defer { serverDirectory.remove(); otherDirectory.remove() }
        let certificates = try TestCertificates(in: serverDirectory)
        let otherCA = try TestCertificates(in: otherDirectory).caFile
        let echo = try await EchoServer(tls: certificates)
        defer { echo.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.perform(HTTPRequest(
                url: echo.url("/echo"), tls: .caFile(otherCA), policy: .privateAddressesAllowed))
        }

        #expect(error?.code == CurlError.peerFailedVerification)
    }

    @Test func disabledVerificationAcceptsTheServer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let echo = try await EchoServer(tls: TestCertificates(in: directory))
        defer { echo.stop() }

        let response = try await client.perform(HTTPRequest(
            url: echo.url("/echo"), tls: .disabled, policy: .privateAddressesAllowed))

        #expect(response.status == 200)
    }
}
