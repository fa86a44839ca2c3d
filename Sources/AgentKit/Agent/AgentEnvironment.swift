import Curl
import Foundation
import Logging
import Mail

/// What every agent in a worker process shares, read once from the operator's environment: the key
/// that opens tenant secrets, the optional language model, the operator's own mail relay, and the
/// clients that reach tenants' servers (never loopback or private addresses unless allowed).
public struct AgentEnvironment: Sendable {
    public static let smtpURLVariable = "ARREARS_SMTP_URL"
    public static let smtpSecurityVariable = "ARREARS_SMTP_SECURITY"
    public static let smtpUsernameVariable = "ARREARS_SMTP_USERNAME"
    public static let smtpPasswordVariable = "ARREARS_SMTP_PASSWORD"
    public static let mailFromVariable = "ARREARS_MAIL_FROM"

    /// Opens sealed tenant secrets; nil when the operator set no ARREARS_SECRET_KEY.
    public var secretBox: SecretBox?
    public var languageModel: LLMClient?
    /// The operator's relay, for tenants without an SMTP server of their own (ARREARS_SMTP_*).
    public var operatorSMTP: SMTPSettings?
    /// The sender for tenants without one (ARREARS_MAIL_FROM).
    public var operatorSender: String?
    /// Sends through tenants' servers: public addresses only, unless ARREARS_ALLOW_PRIVATE_URLS.
    public var tenantMail: MailSender
    /// Sends through the operator's relay, which may sit on the private network.
    public var operatorMail: MailSender
    public var webhooks: WebhookNotifier
    /// For tenants' CRM look-ups.
    public var tenantDestinations: OutboundPolicy
    public var curl: CurlClient

    public init(secretBox: SecretBox? = nil, languageModel: LLMClient? = nil, operatorSMTP: SMTPSettings? = nil,
                operatorSender: String? = nil, tenantDestinations: OutboundPolicy, curl: CurlClient = .shared,
                webhookRetry: WebhookNotifier.Retry = .init(), logger: Logger) {
        self.secretBox = secretBox
        self.languageModel = languageModel
        self.operatorSMTP = operatorSMTP
        self.operatorSender = operatorSender
        self.tenantDestinations = tenantDestinations
        self.curl = curl
        tenantMail = MailSender(client: curl, policy: tenantDestinations)
        operatorMail = MailSender(client: curl, policy: .privateAddressesAllowed)
        webhooks = WebhookNotifier(client: curl, policy: tenantDestinations, retry: webhookRetry, logger: logger)
    }

    /// Reads ARREARS_SECRET_KEY, ARREARS_LLM_*, ARREARS_SMTP_*, ARREARS_MAIL_FROM and
    /// ARREARS_ALLOW_PRIVATE_URLS; a value that is set but wrong is an error, so a worker does not start
    /// misconfigured.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       logger: Logger) throws -> AgentEnvironment {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let secretBox = try value(SecretBox.environmentVariable).map { _ in try SecretBox.fromEnvironment(environment) }
        let model = try LLMConfiguration.fromEnvironment(environment).map { LLMClient(configuration: $0) }
        var relay: SMTPSettings?
        if let url = value(smtpURLVariable) {
            let securityText = value(smtpSecurityVariable) ?? (url.lowercased().hasPrefix("smtps:") ? "tls" : "starttls")
            guard let security = SMTPSettings.Security(rawValue: securityText) else {
                throw AgentConfigurationError("\(smtpSecurityVariable) must be none, starttls or tls, not \"\(securityText)\"")
            }
            let settings = SMTPSettings(url: url, security: security, username: value(smtpUsernameVariable),
                                        password: value(smtpPasswordVariable).map(Secret.init))
            do {
                try settings.validate()
            } catch {
                throw AgentConfigurationError("\(smtpURLVariable): \(error)")
            }
            relay = settings
        }
        let sender = value(mailFromVariable)
        if let sender, MailAddress(parsing: sender) == nil {
            throw AgentConfigurationError("\(mailFromVariable) must be an address like ar@example.com, not \"\(sender)\"")
        }
        return AgentEnvironment(
            secretBox: secretBox, languageModel: model, operatorSMTP: relay, operatorSender: sender,
            tenantDestinations: OutboundPolicy.forTenantDestinations(environment: environment), logger: logger)
    }
}

public struct AgentConfigurationError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
