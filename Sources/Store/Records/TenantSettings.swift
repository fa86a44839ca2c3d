import Foundation
import Postgres

/// How a tenant's mail and notifications go out (`tenant_settings`). Secrets are kept sealed
/// (`AgentKit.SecretBox`, purpose `tenant:<tenant_id>:<column>` without `_sealed`); Store never
/// sees them in the clear.
public struct TenantSettings: Sendable, Hashable {
    public var senderEmail: String?
    public var senderName: String?
    public var replyToEmail: String?
    public var smtpURL: String?
    /// "none", "starttls" or "tls"; "starttls" until the tenant says otherwise.
    public var smtpSecurity: String
    public var smtpUsername: String?
    public var smtpPasswordSealed: [UInt8]?
    public var webhookURL: String?
    public var webhookSecretSealed: [UInt8]?
    public var crmLookupURL: String?
    public var inboundSecretSealed: [UInt8]?
    public var signature: String?
    public var paymentInstructions: String?
    /// Nil while the tenant has saved nothing (every field at its default).
    public var updatedAt: Date?

    public init(
        senderEmail: String? = nil, senderName: String? = nil, replyToEmail: String? = nil, smtpURL: String? = nil,
        smtpSecurity: String = "starttls", smtpUsername: String? = nil, smtpPasswordSealed: [UInt8]? = nil,
        webhookURL: String? = nil, webhookSecretSealed: [UInt8]? = nil, crmLookupURL: String? = nil,
        inboundSecretSealed: [UInt8]? = nil, signature: String? = nil, paymentInstructions: String? = nil,
        updatedAt: Date? = nil
    ) {
        self.senderEmail = senderEmail
        self.senderName = senderName
        self.replyToEmail = replyToEmail
        self.smtpURL = smtpURL
        self.smtpSecurity = smtpSecurity
        self.smtpUsername = smtpUsername
        self.smtpPasswordSealed = smtpPasswordSealed
        self.webhookURL = webhookURL
        self.webhookSecretSealed = webhookSecretSealed
        self.crmLookupURL = crmLookupURL
        self.inboundSecretSealed = inboundSecretSealed
        self.signature = signature
        self.paymentInstructions = paymentInstructions
        self.updatedAt = updatedAt
    }

    static let columns = """
        sender_email, sender_name, reply_to_email, smtp_url, smtp_security, smtp_username, smtp_password_sealed,
        webhook_url, webhook_secret_sealed, crm_lookup_url, inbound_secret_sealed, signature, payment_instructions,
        updated_at
        """

    init(_ reader: inout RowReader) throws {
        senderEmail = try reader.next()
        senderName = try reader.next()
        replyToEmail = try reader.next()
        smtpURL = try reader.next()
        smtpSecurity = try reader.next()
        smtpUsername = try reader.next()
        smtpPasswordSealed = try reader.next(Data?.self).map(Array.init)
        webhookURL = try reader.next()
        webhookSecretSealed = try reader.next(Data?.self).map(Array.init)
        crmLookupURL = try reader.next()
        inboundSecretSealed = try reader.next(Data?.self).map(Array.init)
        signature = try reader.next()
        paymentInstructions = try reader.next()
        updatedAt = try reader.next()
    }
}

/// A partial update of the settings: fields left `.unchanged` keep their value, `.set(nil)`
/// clears one. Sealed secrets arrive sealed.
public struct TenantSettingsChanges: Sendable {
    public var senderEmail: FieldUpdate<String?> = .unchanged
    public var senderName: FieldUpdate<String?> = .unchanged
    public var replyToEmail: FieldUpdate<String?> = .unchanged
    public var smtpURL: FieldUpdate<String?> = .unchanged
    public var smtpSecurity: FieldUpdate<String> = .unchanged
    public var smtpUsername: FieldUpdate<String?> = .unchanged
    public var smtpPasswordSealed: FieldUpdate<[UInt8]?> = .unchanged
    public var webhookURL: FieldUpdate<String?> = .unchanged
    public var webhookSecretSealed: FieldUpdate<[UInt8]?> = .unchanged
    public var crmLookupURL: FieldUpdate<String?> = .unchanged
    public var inboundSecretSealed: FieldUpdate<[UInt8]?> = .unchanged
    public var signature: FieldUpdate<String?> = .unchanged
    public var paymentInstructions: FieldUpdate<String?> = .unchanged

    public init() {}

    /// The settings as they would be with these changes applied.
    public func applied(to settings: TenantSettings) -> TenantSettings {
        var result = settings
        if case .set(let value) = senderEmail { result.senderEmail = value }
        if case .set(let value) = senderName { result.senderName = value }
        if case .set(let value) = replyToEmail { result.replyToEmail = value }
        if case .set(let value) = smtpURL { result.smtpURL = value }
        if case .set(let value) = smtpSecurity { result.smtpSecurity = value }
        if case .set(let value) = smtpUsername { result.smtpUsername = value }
        if case .set(let value) = smtpPasswordSealed { result.smtpPasswordSealed = value }
        if case .set(let value) = webhookURL { result.webhookURL = value }
        if case .set(let value) = webhookSecretSealed { result.webhookSecretSealed = value }
        if case .set(let value) = crmLookupURL { result.crmLookupURL = value }
        if case .set(let value) = inboundSecretSealed { result.inboundSecretSealed = value }
        if case .set(let value) = signature { result.signature = value }
        if case .set(let value) = paymentInstructions { result.paymentInstructions = value }
        return result
    }

    /// Column assignments for what is set; secrets by column name only, never by value.
    var assignments: Assignments {
        var assignments = Assignments()
        assignments.set("sender_email", senderEmail)
        assignments.set("sender_name", senderName)
        assignments.set("reply_to_email", replyToEmail)
        assignments.set("smtp_url", smtpURL)
        assignments.set("smtp_security", smtpSecurity)
        assignments.set("smtp_username", smtpUsername)
        if case .set(let sealed) = smtpPasswordSealed { assignments.set("smtp_password_sealed", sealed.map { Data($0) }) }
        assignments.set("webhook_url", webhookURL)
        if case .set(let sealed) = webhookSecretSealed { assignments.set("webhook_secret_sealed", sealed.map { Data($0) }) }
        assignments.set("crm_lookup_url", crmLookupURL)
        if case .set(let sealed) = inboundSecretSealed { assignments.set("inbound_secret_sealed", sealed.map { Data($0) }) }
        assignments.set("signature", signature)
        assignments.set("payment_instructions", paymentInstructions)
        return assignments
    }
}
