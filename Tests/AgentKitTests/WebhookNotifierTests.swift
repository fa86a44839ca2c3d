import Curl
import Foundation
import Logging
import TestSupport
import Testing
import AgentKit

/// Signed webhook deliveries against Tests/Support/http_echo_server.py.
struct WebhookNotifierTests {
    struct Notice: Codable, Equatable {
        let customer: String
        let level: Int
    }

    let secret = Secret("whsec_test_0123456789")
    let notice = Notice(customer: "Beta Ltd", level: 2)
    // Short backoffs, but a budget that a loaded machine's slow echo server cannot exhaust.
    let quickRetry = WebhookNotifier.Retry(maxAttempts: 4, budget: .seconds(120), attemptTimeout: .seconds(30),
                                           firstBackoff: .milliseconds(20), maxBackoff: .milliseconds(100))

    func notifier(_ policy: OutboundPolicy = .privateAddressesAllowed, retry: WebhookNotifier.Retry? = nil) -> WebhookNotifier {
        WebhookNotifier(policy: policy, retry: retry ?? quickRetry, logger: Logger(label: "test"))
    }

    @Test func theReceiverCanVerifyTheSignatureOverTheBytesItGot() async throws {
        let server = try await EchoServer()
        defer { server.stop() }

        let delivery = try await notifier().deliver(notice, event: "owner.notification", deliveryID: "task-9:notify",
                                                    to: server.url("/echo"), secret: secret)

        #expect(delivery.attempts == 1)
        let request = try EchoedRequest(delivery.responseBody)
        #expect(request.method == "POST")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Arrears-Event") == "owner.notification")
        #expect(request.header("Arrears-Delivery") == "task-9:notify")
        #expect(try JSONDecoder().decode(Notice.self, from: Data(request.body)) == notice)
        let signature = try #require(request.header("Arrears-Signature"))
        #expect(WebhookSignature.verify(signature, body: request.body, secret: secret))
        #expect(!WebhookSignature.verify(signature, body: request.body + [0x20], secret: secret))
        #expect(!WebhookSignature.verify(signature, body: request.body, secret: Secret("another secret")))
        #expect(!WebhookSignature.verify(signature, body: request.body, secret: secret, now: Date().addingTimeInterval(3600)))
    }

    @Test func theSignatureIsAnHMACOfTimestampDotBody() {
        let body = Array(#"{"customer":"Beta Ltd"}"#.utf8)
        let header = WebhookSignature.header(for: body, secret: Secret("secret"), timestamp: 1_767_225_600)
        // echo -n '1767225600.{"customer":"Beta Ltd"}' | openssl dgst -sha256 -hmac secret
        #expect(header == "t=1767225600,v1=164a7536575cff7b387afc2feedb54b1e85689805c0416b3ff060748a9f034eb")
    }

    @Test func serverErrorsAreRetriedUntilTheEndpointAccepts() async throws {
        let server = try await EchoServer()
        defer { server.stop() }

        let delivery = try await notifier().deliver(notice, event: "owner.notification", deliveryID: "d-1",
                                                    to: server.url("/flaky/2/retry-test"), secret: secret)

        #expect(delivery.attempts == 3)
        #expect(delivery.status == 200)
        let request = try EchoedRequest(delivery.responseBody)
        #expect(request.header("Arrears-Delivery") == "d-1")
        #expect(WebhookSignature.verify(request.header("Arrears-Signature") ?? "", body: request.body, secret: secret))
    }

    @Test func retriesStopAtTheLimitAndTheFailureIsTemporary() async throws {
        let server = try await EchoServer()
        defer { server.stop() }

        await #expect { try await notifier().deliver(notice, event: "e", deliveryID: "d", to: server.url("/status/503"), secret: secret) }
            throws: { error in
                guard let error = error as? WebhookError else { return false }
                return error.attempts == 4 && error.isTemporary
            }
    }

    @Test func aTimeoutIsRetriedToo() async throws {
        let server = try await EchoServer()
        defer { server.stop() }
        let impatient = WebhookNotifier.Retry(maxAttempts: 2, budget: .seconds(120), attemptTimeout: .milliseconds(300),
                                              firstBackoff: .milliseconds(10), maxBackoff: .milliseconds(10))

        await #expect { try await notifier(retry: impatient).deliver(notice, event: "e", deliveryID: "d", to: server.url("/slow/5"), secret: secret) }
            throws: { error in
                guard let error = error as? WebhookError else { return false }
                return error.attempts == 2 && error.isTemporary
            }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let server = try await EchoServer()
        defer { server.stop() }

        await #expect { try await notifier().deliver(notice, event: "e", deliveryID: "d", to: server.url("/status/404"), secret: secret) }
            throws: { error in
                guard let error = error as? WebhookError else { return false }
                return error.attempts == 1 && !error.isTemporary
            }
    }

    @Test func aPrivateAddressIsRefusedByDefault() async throws {
        let server = try await EchoServer()
        defer { server.stop() }
        let tenantPolicy = OutboundPolicy.forTenantDestinations(environment: [:])

        await #expect { try await notifier(tenantPolicy).deliver(notice, event: "e", deliveryID: "d", to: server.url("/echo"), secret: secret) }
            throws: { error in
                guard let error = error as? WebhookError else { return false }
                return error.attempts == 1 && !error.isTemporary && error.reason.contains("internal addresses are not allowed")
            }
        #expect(!server.server.hasPrinted("REQUEST POST /echo"))

        let allowed = OutboundPolicy.forTenantDestinations(environment: ["ARREARS_ALLOW_PRIVATE_URLS": "1"])
        let delivery = try await notifier(allowed).deliver(notice, event: "e", deliveryID: "d", to: server.url("/echo"), secret: secret)
        #expect(delivery.status == 200)
    }

    @Test(arguments: [
        ("https://hooks.example.com/arrears", nil),
        ("http://hooks.example.com:8080/a?b=c", nil),
        ("ftp://hooks.example.com/", TenantURLError.scheme("ftp")),
        ("file:///etc/passwd", TenantURLError.scheme("file")),
        ("https://user:pw@hooks.example.com/", TenantURLError.userInfo),
        ("https://hooks.example.com/a b", TenantURLError.whitespace),
        ("https:hooks.example.com", TenantURLError.noHost),
        ("", TenantURLError.empty),
    ] as [(String, TenantURLError?)])
    func tenantURLsAreChecked(url: String, expected: TenantURLError?) {
        do {
            try TenantURL.validate(url)
            #expect(expected == nil, "\(url) was accepted")
        } catch {
            #expect(error == expected, "\(url)")
        }
    }
    @Test(arguments: [
        ("https://hooks.example.com/arrears", nil),
        ("https://93.184.215.14/hook", nil),
        ("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook", nil),
        ("http://127.0.0.1:8080/", "127.0.0.1"),
        ("http://localhost/", "localhost"),
        ("http://LOCALHOST./", "localhost."),
        ("http://api.localhost/", "api.localhost"),
        ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.0.10/", "192.168.0.10"),
        ("http://172.16.5.5/", "172.16.5.5"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://127.1/", "127.1"),
        ("http://2130706433/", "2130706433"),
        ("http://0x7f000001/", "0x7f000001"),
        ("http://[::1]/", "::1"),
        ("http://[fe80::1]/", "fe80::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("smtp://127.0.0.1:25", "127.0.0.1"),
    ] as [(String, String?)])
    func internalHostsAreRefusedAsWritten(url: String, refusedHost: String?) {
        do {
            try TenantURL.checkHost(of: url, policy: .publicAddressesOnly)
            #expect(refusedHost == nil, "\(url) was accepted")
        } catch {
            guard case .internalAddress(let host) = error else {
                Issue.record("\(url): \(error)")
                return
            }
            #expect(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased() == refusedHost?.lowercased(), "\(url)")
            #expect(error.description.contains("ARREARS_ALLOW_PRIVATE_URLS=1"))
        }
        #expect((try? TenantURL.checkHost(of: url, policy: .privateAddressesAllowed)) != nil, "the operator may allow them")
    }
}
