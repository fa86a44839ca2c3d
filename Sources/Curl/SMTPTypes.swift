/// How the SMTP connection is protected.
public enum SMTPSecurity: Sendable, Hashable {
    /// Plain text throughout (`smtp://`).
    case none
    /// Upgrade with STARTTLS before anything else and fail if the server cannot (`smtp://`).
    case startTLS
    /// TLS from the first byte (`smtps://`, usually port 465).
    case implicitTLS
}

public struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Keeps the password out of logs.
    public var description: String { "SMTPCredentials(username: \(username), password: <redacted>)" }
}

/// A mail server to submit through, as configured for a tenant or the operator.
public struct SMTPServer: Sendable, Hashable {
    /// `smtp://host:port` or `smtps://host:port`; a path names the EHLO domain.
    public var url: String
    public var security: SMTPSecurity
    public var credentials: SMTPCredentials?
    public var tls: TLSVerification
    public var timeout: Duration
    public var connectTimeout: Duration
    public var policy: OutboundPolicy

    public init(
        url: String,
        security: SMTPSecurity,
        credentials: SMTPCredentials? = nil,
        tls: TLSVerification = .system,
        timeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10),
        policy: OutboundPolicy = .publicAddressesOnly
    ) {
        self.url = url
        self.security = security
        self.credentials = credentials
        self.tls = tls
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.policy = policy
    }
}

/// The SMTP envelope: who the message is from (MAIL FROM) and who gets it (RCPT TO),
/// independent of the message's own From/To/Cc/Bcc headers.
public struct SMTPEnvelope: Sendable, Hashable {
    public var sender: String
    public var recipients: [String]

    public init(sender: String, recipients: [String]) {
        self.sender = sender
        self.recipients = recipients
    }
}
