import Curl
import Foundation
import Mail
import Store

/// How one tenant's mail and notices go out, resolved from its settings and the operator's
/// environment: who it is, which server carries its mail, where its webhook posts.
public struct TenantOutbound: Sendable {
    public var sender: SenderIdentity
    /// The envelope sender: the AR mailbox, where bounces come back.
    public var envelopeSender: String
    public var smtp: SMTPSettings
    /// The tenant's own server is reached under the tenant policy; the operator's relay is trusted.
    public var mailer: MailSender
    public var webhook: Webhook?
    public var crmLookupURL: String?

    public struct Webhook: Sendable {
        public var url: String
        public var secret: Secret
    }

    public init(settings: TenantSettings, tenant: Tenant, environment: AgentEnvironment) throws {
        func open(_ sealed: [UInt8]?, _ secret: TenantSecret) throws -> Secret? {
            guard let sealed else { return nil }
            guard let box = environment.secretBox else {
                throw OutboundUnavailable("the tenant's \(secret.rawValue) is sealed and this worker has no ARREARS_SECRET_KEY to open it")
            }
            do {
                return try box.open(sealed, purpose: secret.purpose(tenantID: tenant.id))
            } catch {
                throw OutboundUnavailable("the tenant's \(secret.rawValue) cannot be opened: \(error)")
            }
        }

        guard let senderText = settings.senderEmail ?? environment.operatorSender,
              let address = MailAddress(parsing: senderText)
        else {
            throw OutboundUnavailable("the tenant has no sender address: set sender_email in PATCH /v1/settings")
        }
        var from = address
        from.name = settings.senderName ?? address.name ?? "\(tenant.name) Accounts Receivable"
        sender = SenderIdentity(
            address: from, companyName: tenant.name,
            replyTo: settings.replyToEmail.flatMap(MailAddress.init(parsing:)),
            signature: settings.signature.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? [],
            paymentInstructions: settings.paymentInstructions)
        envelopeSender = address.address

        if let url = settings.smtpURL {
            smtp = SMTPSettings(url: url, security: SMTPSettings.Security(rawValue: settings.smtpSecurity) ?? .starttls,
                                username: settings.smtpUsername, password: try open(settings.smtpPasswordSealed, .smtpPassword))
            mailer = environment.tenantMail
        } else if let relay = environment.operatorSMTP {
            smtp = relay
            mailer = environment.operatorMail
        } else {
            throw OutboundUnavailable("the tenant has no SMTP server (smtp_url in /v1/settings) and the operator set no ARREARS_SMTP_URL")
        }

        if let url = settings.webhookURL, let secret = try open(settings.webhookSecretSealed, .webhookSecret) {
            webhook = Webhook(url: url, secret: secret)
        }
        crmLookupURL = settings.crmLookupURL
    }
}

/// The tenant's settings do not let this go out; fixing them (or the worker's environment) lets a
/// retry succeed.
public struct OutboundUnavailable: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
