import Curl
import Mail

/// Sends mail through a tenant's SMTP server with libcurl.
public struct MailSender: Sendable {
    private let client: CurlClient
    private let policy: OutboundPolicy
    private let tls: TLSVerification
    private let timeout: Duration

    /// `policy` is normally `OutboundPolicy.forTenantDestinations()`: the server is the tenant's.
    public init(client: CurlClient = .shared, policy: OutboundPolicy, tls: TLSVerification = .system, timeout: Duration = .seconds(60)) {
        self.client = client
        self.policy = policy
        self.tls = tls
        self.timeout = timeout
    }

    /// Sends `mail` from `envelopeSender` (the tenant's AR address, where bounces go) to its
    /// To and Cc addresses, or to `recipients` when given.
    public func send(_ mail: OutgoingMail, envelopeSender: String, recipients: [String]? = nil, via settings: SMTPSettings) async throws(MailSendError) {
        let envelope = SMTPEnvelope(sender: envelopeSender, recipients: recipients ?? (mail.to + mail.cc).map(\.address))
        try await send(raw: mail.rendered(), envelope: envelope, via: settings)
    }

    /// Sends a message already rendered (for example the bytes recorded before a first attempt).
    public func send(raw message: [UInt8], envelope: SMTPEnvelope, via settings: SMTPSettings) async throws(MailSendError) {
        do {
            try settings.validate()
        } catch {
            throw MailSendError(kind: .permanent, smtpCode: nil, reason: "SMTP settings: \(error)")
        }
        let credentials = settings.username.map { SMTPCredentials(username: $0, password: settings.password?.reveal() ?? "") }
        let server = SMTPServer(
            url: settings.url, security: Self.security(settings.security), credentials: credentials,
            tls: tls, timeout: timeout, policy: policy)
        guard !Task.isCancelled else {
            throw MailSendError(kind: .temporary, smtpCode: nil, reason: "cancelled before sending")
        }
        do {
            try await client.send(message, envelope: envelope, via: server)
        } catch let error as CurlError {
            throw MailSendError(error)
        } catch {
            // Cancelled mid-transfer: how far the dialogue got is unknown, so a retry could send twice.
            throw MailSendError(kind: .unconfirmed, smtpCode: nil, reason: "interrupted while sending: \(error)")
        }
    }

    private static func security(_ security: SMTPSettings.Security) -> SMTPSecurity {
        switch security {
        case .none: .none
        case .starttls: .startTLS
        case .tls: .implicitTLS
        }
    }
}

/// Why a message was not (or may not have been) sent.
public struct MailSendError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Will fail again: the server refused the message, a recipient or the login (5xx), or the
        /// settings are wrong. Mark the message failed; do not retry.
        case permanent
        /// Not sent, may work later (4xx, no connection, time-out before the message was
        /// transferred). Retry.
        case temporary
        /// The message was handed over but the server's final answer never came: it may have been
        /// delivered. Retrying could send it twice, so record it as unconfirmed instead.
        case unconfirmed
    }

    public let kind: Kind
    public let smtpCode: Int?
    public let reason: String

    public init(kind: Kind, smtpCode: Int?, reason: String) {
        self.kind = kind
        self.smtpCode = smtpCode
        self.reason = reason
    }

    init(_ error: CurlError) {
        let code = error.smtpResponseCode
        let kind: Kind
        switch code {
        case .some(500...599):
            kind = .permanent
        case .some(400...499):
            kind = .temporary
        case .some(354):
            // 354 invites the message; after it only the final reply was missing.
            kind = .unconfirmed
        default:
            let settingsProblem = error.refusedAddress != nil
                || [CurlError.loginDenied, CurlError.peerFailedVerification, CurlError.badArgument].contains(error.code)
            kind = settingsProblem ? .permanent : .temporary
        }
        self.init(kind: kind, smtpCode: code, reason: error.message)
    }

    public var description: String {
        var text = "mail not sent (\(kind.rawValue)): \(reason)"
        if let smtpCode { text += " [SMTP \(smtpCode)]" }
        return text
    }
}
