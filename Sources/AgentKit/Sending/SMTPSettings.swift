import Curl
import Foundation

/// A tenant's mail server, as kept in `tenant_settings` (`smtp_url`, `smtp_security`,
/// `smtp_username`, and the password opened from `smtp_password_sealed`).
public struct SMTPSettings: Sendable, Hashable, CustomStringConvertible {
    /// The values of `tenant_settings.smtp_security`.
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// Plain text; only for relays on a trusted network.
        case none
        /// Port 587 style: STARTTLS is required before anything is sent.
        case starttls
        /// Port 465 style: TLS from the first byte (`smtps://`).
        case tls
    }

    /// `smtp://host:587` or `smtps://host:465`.
    public var url: String
    public var security: Security
    public var username: String?
    public var password: Secret?

    public init(url: String, security: Security, username: String? = nil, password: Secret? = nil) {
        self.url = url
        self.security = security
        self.username = username
        self.password = password
    }

    /// Problems an administrator can fix, for the API to report when the settings are saved.
    public func validate() throws(SMTPSettingsError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw .malformedURL }
        let expected = security == .tls ? "smtps" : "smtp"
        guard scheme == expected else { throw .schemeMismatch(expected: expected, security: security) }
        guard components.user == nil, components.password == nil else { throw .credentialsInURL }
        guard (username == nil) == (password == nil) else { throw .incompleteLogin }
    }

    public var description: String {
        "SMTPSettings(url: \(url), security: \(security.rawValue), username: \(username ?? "none"), password: \(password == nil ? "none" : "<redacted>"))"
    }
}

public enum SMTPSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformedURL
    case schemeMismatch(expected: String, security: SMTPSettings.Security)
    case credentialsInURL
    case incompleteLogin

    public var description: String {
        switch self {
        case .malformedURL:
            "the SMTP URL cannot be read; write it like smtp://mail.example.com:587"
        case .schemeMismatch(let expected, let security):
            "security \(security.rawValue) needs a URL starting with \(expected)://"
        case .credentialsInURL:
            "the SMTP URL contains a user name or password; give them as username and password instead"
        case .incompleteLogin:
            "give both a username and a password, or neither"
        }
    }
}
