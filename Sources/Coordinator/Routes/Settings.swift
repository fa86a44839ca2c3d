import AgentKit
import Curl
import Foundation
import Store

extension AdminAPI {
    /// How the tenant's mail and notifications go out. Secrets are write-only: sealed with the
    /// operator's key as they arrive, shown back only as `…_set` booleans.
    var settingsEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/settings", .tenantRead) { call in
                var query = call.query
                try query.finish()
                return .json(try await inTenant(call) { try await $0.settings() })
            },
            Endpoint(.patch, "/v1/settings", .tenantWrite) { call in
                var body = try call.object()
                let policy = outboundPolicy
                var changes = TenantSettingsChanges()
                changes.senderEmail = body.nullableString("sender_email", rule: FieldRules.email)
                changes.senderName = body.nullableString("sender_name") { Self.headerText($0, maximum: 200) }
                changes.replyToEmail = body.nullableString("reply_to_email", rule: FieldRules.email)
                changes.smtpURL = body.nullableString("smtp_url") { Self.smtpURLProblem($0, policy: policy) }
                changes.smtpSecurity = body.oneOf("smtp_security", SMTPSettings.Security.allCases.map(\.rawValue))
                changes.smtpUsername = body.nullableString("smtp_username") { Self.headerText($0, maximum: 200) }
                changes.webhookURL = body.nullableString("webhook_url") { Self.httpURLProblem($0, policy: policy) }
                changes.crmLookupURL = body.nullableString("crm_lookup_url") { Self.httpURLProblem($0, policy: policy) }
                changes.signature = body.nullableString("signature") { FieldRules.text($0, maximum: 5000) }
                changes.paymentInstructions = body.nullableString("payment_instructions") { FieldRules.text($0, maximum: 5000) }
                let secrets: [(TenantSecret, FieldUpdate<String?>)] = [
                    (.smtpPassword, body.nullableString("smtp_password") { FieldRules.text($0, minimum: 1, maximum: 1000) }),
                    (.webhookSecret, body.nullableString("webhook_secret", rule: Self.signingSecretProblem)),
                    (.inboundSecret, body.nullableString("inbound_secret", rule: Self.signingSecretProblem)),
                ]
                try body.finish()

                let tenantID = call.principal.tenantID
                var sealed: [TenantSecret: FieldUpdate<[UInt8]?>] = [:]
                let unsealable = secrets.filter { if case .set(.some) = $0.1 { secretBox == nil } else { false } }
                if !unsealable.isEmpty {
                    throw APIError(.unprocessableContent, "secret_key_not_configured", SecretKeyError.missing.description,
                                   details: unsealable.map { ErrorDetail(field: $0.0.rawValue, reason: "cannot be stored without ARREARS_SECRET_KEY") })
                }
                for (secret, update) in secrets {
                    switch update {
                    case .unchanged: sealed[secret] = .unchanged
                    case .set(nil): sealed[secret] = .set(nil)
                    case .set(let text?): sealed[secret] = .set(try secretBox!.seal(Secret(text), purpose: secret.purpose(tenantID: tenantID)))
                    }
                }
                changes.smtpPasswordSealed = sealed[.smtpPassword] ?? .unchanged
                changes.webhookSecretSealed = sealed[.webhookSecret] ?? .unchanged
                changes.inboundSecretSealed = sealed[.inboundSecret] ?? .unchanged

                let stored = try await inTenant(call) { tenant in
                    try Self.checkMailServer(changes.applied(to: try await tenant.settings()), changes)
                    return try await tenant.updateSettings(changes)
                }
                return .json(stored)
            },
        ]
    }

    /// Text that goes into a mail header: no line breaks or other control characters.
    static func headerText(_ text: String, maximum: Int) -> String? {
        if let problem = FieldRules.text(text, minimum: 1, maximum: maximum) { return problem }
        return text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            ? "must not contain line breaks or control characters" : nil
    }

    static func httpURLProblem(_ text: String, policy: OutboundPolicy) -> String? {
        do {
            try TenantURL.validate(text, policy: policy)
            return nil
        } catch {
            return error.description
        }
    }

    /// smtp:// or smtps:// with a host the policy allows, no credentials in it; whether the
    /// scheme suits smtp_security is checked on the settings as a whole.
    static func smtpURLProblem(_ text: String, policy: OutboundPolicy) -> String? {
        let example = "write it like smtp://mail.example.com:587 or smtps://mail.example.com:465"
        guard text.utf8.count <= TenantURL.maximumLength else { return "must be at most \(TenantURL.maximumLength) characters" }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            return "must not contain spaces or control characters"
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps"
        else { return "must start with smtp:// or smtps://; \(example)" }
        guard text.dropFirst(scheme.count).hasPrefix("://"), let host = components.host, !host.isEmpty else {
            return "has no host; \(example)"
        }
        guard components.user == nil, components.password == nil else {
            return SMTPSettingsError.credentialsInURL.description
        }
        do {
            try TenantURL.checkHost(of: text, policy: policy)
        } catch {
            return error.description
        }
        return nil
    }

    /// Webhook and inbound secrets travel in headers and key HMACs: long, printable, no spaces.
    static func signingSecretProblem(_ text: String) -> String? {
        let valid = (16...256).contains(text.utf8.count) && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        return valid ? nil : "must be 16 to 256 printable ASCII characters without spaces"
    }

    /// The mail server as a whole: the scheme suits the security, and a login is complete.
    static func checkMailServer(_ settings: TenantSettings, _ changes: TenantSettingsChanges) throws(APIError) {
        guard let url = settings.smtpURL else { return }
        let server = SMTPSettings(
            url: url, security: SMTPSettings.Security(rawValue: settings.smtpSecurity) ?? .starttls,
            username: settings.smtpUsername, password: settings.smtpPasswordSealed.map { _ in Secret("sealed") })
        do {
            try server.validate()
        } catch {
            let field = switch error {
            case .schemeMismatch: changes.smtpURL.isSet || !changes.smtpSecurity.isSet ? "smtp_url" : "smtp_security"
            case .incompleteLogin: settings.smtpUsername == nil ? "smtp_username" : "smtp_password"
            case .malformedURL, .credentialsInURL: "smtp_url"
            }
            throw APIError.validation("the mail server settings do not fit together", details: [ErrorDetail(field: field, reason: error.description)])
        }
    }
}
