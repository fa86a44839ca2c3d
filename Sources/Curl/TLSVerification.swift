/// How the server's TLS certificate is checked.
public enum TLSVerification: Sendable, Hashable {
    /// Verify the certificate chain and host name against the system trust store.
    case system
    /// Verify the certificate chain and host name against the CA certificates in this PEM file.
    case caFile(String)
    /// Accept any certificate. Only for development against servers one controls.
    case disabled
}
