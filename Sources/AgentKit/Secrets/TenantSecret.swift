/// The secrets a tenant keeps in `tenant_settings`, named as their columns are without `_sealed`.
public enum TenantSecret: String, Sendable, CaseIterable {
    case smtpPassword = "smtp_password"
    case webhookSecret = "webhook_secret"
    case inboundSecret = "inbound_secret"

    /// The purpose a tenant's secret is sealed under, `tenant:<tenant_id>:<column>` (for example
    /// `tenant:42:smtp_password`): the admin API seals with it, the agents open with it.
    public func purpose(tenantID: Int64) -> String {
        "tenant:\(tenantID):\(rawValue)"
    }
}
