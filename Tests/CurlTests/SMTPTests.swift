import Curl
import Foundation
import TestSupport
import Testing

/// SMTP submission through libcurl against a real local sink (Tests/Support/smtp_sink.py).
struct SMTPTests {
    let client = CurlClient.shared
    let envelope = SMTPEnvelope(
        sender: "ar@supplier.test",
        recipients: ["payables@customer.test", "controller@customer.test", "audit@customer.test"])

    /// CRLF line endings, a leading dot (SMTP dot-stuffing), UTF-8 and a Bcc'd recipient
    /// that appears only in the envelope.
    let message = Array((
        "From: Accounts Receivable <ar@supplier.test>\r\n"
            + "To: payables@customer.test\r\n"
            + "Cc: controller@customer.test\r\n"
            + "Subject: Invoice INV-1042 is 14 days overdue\r\n"
            + "Message-ID: <inv-1042.3@supplier.test>\r\n"
            + "Date: Sat, 28 Nov 2026 09:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Grüße — the amount due is 1.250,00 €.\r\n"
            + ".\r\n"
            + "..a line that starts with dots\r\n"
            + "\r\n"
    ).utf8)

    private func server(_ url: String, _ security: SMTPSecurity, credentials: SMTPCredentials? = nil,
                        tls: TLSVerification = .system) -> SMTPServer {
        SMTPServer(url: url, security: security, credentials: credentials, tls: tls, policy: .privateAddressesAllowed)
    }

    @Test func plainSendDeliversTheMessageByteForByte() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }

        try await client.send(message, envelope: envelope, via: server(sink.url(), .none))

        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.data == message)
        #expect(received.first?.mailFrom == envelope.sender)
        #expect(received.first?.rcptTos == envelope.recipients)
        #expect(received.first?.tls == false)
        #expect(received.first?.authUser == nil)
    }

    @Test func eachSendIsASeparateMessage() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let plain = server(sink.url(), .none)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                group.addTask {
                    let body = Array("Subject: \(index)\r\n\r\nmessage \(index)\r\n".utf8)
                    try await client.send(body, envelope: SMTPEnvelope(
                        sender: "ar@supplier.test", recipients: ["r\(index)@customer.test"]), via: plain)
                }
            }
            try await group.waitForAll()
        }

        let received = try sink.messages()
        #expect(received.count == 5)
        for mail in received {
            let index = mail.rcptTos.first?.dropFirst().prefix { $0 != "@" } ?? ""
            #expect(mail.data == Array("Subject: \(index)\r\n\r\nmessage \(index)\r\n".utf8))
        }
    }

    @Test func startTLSWithTheTestCA() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory)
        let sink = try await SMTPSink(.startTLS(certificates))
        defer { sink.stop() }

        try await client.send(
            message, envelope: envelope,
            via: server(sink.url(), .startTLS, tls: .caFile(certificates.caFile)))

        let received = try sink.messages()
        #expect(received.first?.tls == true)
        #expect(received.first?.data == message)
    }

    @Test func startTLSRefusesAnUntrustedCertificate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = try await SMTPSink(.startTLS(TestCertificates(in: directory)))
        defer { sink.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server(sink.url(), .startTLS))
        }

        #expect(error?.code == CurlError.peerFailedVerification)
        #expect(try sink.messages().isEmpty)
    }

    @Test func requiredStartTLSFailsWhenTheServerDoesNotOfferIt() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server(sink.url(), .startTLS))
        }

        #expect(error?.code == 64)  // CURLE_USE_SSL_FAILED
        #expect(try sink.messages().isEmpty)
    }

    @Test func plainTextIsRejectedByAServerThatRequiresStartTLS() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = try await SMTPSink(.startTLS(TestCertificates(in: directory)))
        defer { sink.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server(sink.url(), .none))
        }

        #expect(error?.smtpResponseCode == 530)
    }

    @Test func implicitTLS() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certificates = try TestCertificates(in: directory)
        let sink = try await SMTPSink(.implicitTLS(certificates))
        defer { sink.stop() }

        try await client.send(
            message, envelope: envelope,
            via: server(sink.url(scheme: "smtps"), .implicitTLS, tls: .caFile(certificates.caFile)))

        let received = try sink.messages()
        #expect(received.first?.tls == true)
        #expect(received.first?.data == message)
    }

    @Test func securityMustMatchTheURLScheme() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server("smtp://127.0.0.1:1", .implicitTLS))
        }

        #expect(error?.code == 3)  // CURLE_URL_MALFORMAT
        #expect(error?.message.contains("smtps://") == true)
    }

    @Test func loginIsAccepted() async throws {
        let login = SMTPCredentials(username: "ar@supplier.test", password: "s3cret pass")
        let sink = try await SMTPSink(login: login)
        defer { sink.stop() }

        try await client.send(message, envelope: envelope, via: server(sink.url(), .none, credentials: login))

        let received = try sink.messages()
        #expect(received.first?.authUser == "ar@supplier.test")
        #expect(received.first?.data == message)
    }

    @Test func wrongPasswordIsRefusedWithTheServersCode() async throws {
        let sink = try await SMTPSink(login: SMTPCredentials(username: "ar@supplier.test", password: "right"))
        defer { sink.stop() }
        let wrong = SMTPCredentials(username: "ar@supplier.test", password: "wrong")

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server(sink.url(), .none, credentials: wrong))
        }

        #expect(error?.code == CurlError.loginDenied)
        #expect(error?.smtpResponseCode == 535)
        #expect(error?.description.contains("535") == true)
        #expect(try sink.messages().isEmpty)
    }

    @Test func emptyMessagesAreRejected() async throws {
        let error = await #expect(throws: CurlError.self) {
            try await client.send([], envelope: envelope, via: server("smtp://127.0.0.1:1", .none))
        }

        #expect(error?.code == CurlError.badArgument)
    }

    @Test func unreachableServerFailsWithCodeAndMessage() async throws {
        let closed = ClosedPort()

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: server("smtp://127.0.0.1:\(closed.port)", .none))
        }

        #expect(error?.code == CurlError.couldNotConnect)
        #expect(error?.message.isEmpty == false)
        #expect(error?.smtpResponseCode == nil)
    }

    @Test func tenantServersOnPrivateAddressesAreRefused() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }

        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: envelope, via: SMTPServer(url: sink.url(), security: .none))
        }

        #expect(error?.refusedAddress == "127.0.0.1")
        #expect(try sink.messages().isEmpty)
    }

    @Test(arguments: [
        SMTPEnvelope(sender: "ar@supplier.test", recipients: ["payables@customer.test\r\nRCPT TO:<thief@evil.test>"]),
        SMTPEnvelope(sender: "ar@supplier.test\u{0}", recipients: ["payables@customer.test"]),
        SMTPEnvelope(sender: "ar@supplier.test", recipients: []),
    ])
    func malformedEnvelopesAreRejected(_ bad: SMTPEnvelope) async throws {
        let error = await #expect(throws: CurlError.self) {
            try await client.send(message, envelope: bad, via: server("smtp://127.0.0.1:1", .none))
        }

        #expect(error?.code == CurlError.badArgument)
    }
}
