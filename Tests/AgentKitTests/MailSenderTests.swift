import Curl
import Foundation
import Mail
import TestSupport
import Testing
@testable import AgentKit

/// Sending through libcurl to a real local SMTP sink (Tests/Support/smtp_sink.py).
struct MailSenderTests {
    /// The sink listens on loopback, which only the operator may allow.
    let sender = MailSender(policy: .privateAddressesAllowed)

    func reminder(messageID: String = "0123abcd@acme.example") -> OutgoingMail {
        OutgoingMail(
            from: MailAddress("ar@acme.example", name: "Acme Accounts Receivable"),
            to: [MailAddress("jane@beta.example", name: "Jane Roe")],
            cc: [MailAddress("payables@beta.example")],
            subject: "Zahlungserinnerung: Rechnung RE-2026-17 über 1.234,50 €",
            date: Date(timeIntervalSince1970: 1_775_293_200),
            messageID: messageID,
            inReplyTo: "earlier@acme.example",
            references: ["first@acme.example", "earlier@acme.example"],
            textBody: "Guten Tag Jane Roe,\n\nbitte überweisen Sie 1.234,50 EUR.\n.\nFreundliche Grüße\n",
            htmlBody: "<p>Guten Tag Jane Roe,</p>")
    }

    @Test func theMessageArrivesByteForByteWithItsHeadersAndEnvelope() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let mail = reminder()

        try await sender.send(mail, envelopeSender: "bounces@acme.example",
                              via: SMTPSettings(url: sink.url(), security: .none))

        let received = try sink.messages()
        #expect(received.count == 1)
        #expect(received.first?.data == mail.rendered())
        #expect(received.first?.mailFrom == "bounces@acme.example")
        #expect(received.first?.rcptTos == ["jane@beta.example", "payables@beta.example"])
        let parsed = try ParsedMessage(parsing: received.first?.data ?? [])
        #expect(parsed.messageID == "0123abcd@acme.example")
        #expect(parsed.inReplyTo == ["earlier@acme.example"])
        #expect(parsed.subject == "Zahlungserinnerung: Rechnung RE-2026-17 über 1.234,50 €")
    }

    @Test func theTenantsLoginIsUsedAndARefusedLoginIsPermanent() async throws {
        let sink = try await SMTPSink(login: SMTPCredentials(username: "ar", password: "right"))
        defer { sink.stop() }

        try await sender.send(reminder(), envelopeSender: "ar@acme.example",
                              via: SMTPSettings(url: sink.url(), security: .none, username: "ar", password: Secret("right")))
        #expect(try sink.messages().first?.authUser == "ar")

        do {
            try await sender.send(reminder(), envelopeSender: "ar@acme.example",
                                  via: SMTPSettings(url: sink.url(), security: .none, username: "ar", password: Secret("wrong")))
            Issue.record("a refused login was reported as sent")
        } catch {
            #expect(error.kind == .permanent)
            #expect(!error.description.contains("wrong"))
        }
        #expect(try sink.messages().count == 1)
    }

    @Test func aPrivateAddressIsRefusedUnlessTheOperatorAllowsIt() async throws {
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let guarded = MailSender(policy: .forTenantDestinations(environment: [:]))

        await #expect { try await guarded.send(self.reminder(), envelopeSender: "ar@acme.example",
                                               via: SMTPSettings(url: sink.url(), security: .none)) }
            throws: { ($0 as? MailSendError)?.kind == .permanent }
        #expect(try sink.messages().isEmpty)

        let allowed = MailSender(policy: .forTenantDestinations(environment: ["ARREARS_ALLOW_PRIVATE_URLS": "1"]))
        try await allowed.send(reminder(), envelopeSender: "ar@acme.example", via: SMTPSettings(url: sink.url(), security: .none))
        #expect(try sink.messages().count == 1)
    }

    @Test func aServerThatIsNotThereIsATemporaryFailure() async throws {
        let sink = try await SMTPSink()
        let url = sink.url()
        sink.stop()

        await #expect { try await self.sender.send(self.reminder(), envelopeSender: "ar@acme.example",
                                                   via: SMTPSettings(url: url, security: .none)) }
            throws: { ($0 as? MailSendError)?.kind == .temporary }
    }

    @Test func settingsThatCannotWorkFailPermanentlyBeforeConnecting() async throws {
        let mismatched = SMTPSettings(url: "smtp://mail.example.com:465", security: .tls)
        #expect(throws: SMTPSettingsError.schemeMismatch(expected: "smtps", security: .tls)) { try mismatched.validate() }
        #expect(throws: SMTPSettingsError.credentialsInURL) {
            try SMTPSettings(url: "smtp://ar:pw@mail.example.com:587", security: .starttls).validate()
        }
        #expect(throws: SMTPSettingsError.incompleteLogin) {
            try SMTPSettings(url: "smtp://mail.example.com:587", security: .starttls, username: "ar").validate()
        }
        await #expect { try await self.sender.send(self.reminder(), envelopeSender: "ar@acme.example", via: mismatched) }
            throws: { ($0 as? MailSendError)?.kind == .permanent }
    }

    /// Whether a retry may send again depends on how far the SMTP dialogue got.
    @Test(arguments: [
        (550, MailSendError.Kind.permanent), (552, .permanent), (535, .permanent),
        (421, .temporary), (451, .temporary), (354, .unconfirmed),
    ])
    func replyCodesDecideWhetherToRetry(code: Int, kind: MailSendError.Kind) {
        let error = CurlError(code: CurlError.operationTimedOut, message: "timed out", smtpResponseCode: code)
        #expect(MailSendError(error).kind == kind)
    }

    @Test func failuresWithoutAReplyCode() {
        #expect(MailSendError(CurlError(code: CurlError.couldNotConnect, message: "refused")).kind == .temporary)
        #expect(MailSendError(CurlError(code: CurlError.operationTimedOut, message: "timed out")).kind == .temporary)
        #expect(MailSendError(CurlError(code: CurlError.couldNotConnect, message: "policy", refusedAddress: "10.0.0.1")).kind == .permanent)
        #expect(MailSendError(CurlError(code: CurlError.loginDenied, message: "denied")).kind == .permanent)
    }
}
