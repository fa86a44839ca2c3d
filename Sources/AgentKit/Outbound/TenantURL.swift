import Curl
import Foundation

/// Checks a URL a tenant configures (webhook, CRM look-up) before it is stored or used.
///
/// Which addresses it may reach is decided when the connection is made, on every resolved
/// address (`OutboundPolicy`), so a host name that resolves to an internal address is refused
/// then; this check covers what can be seen in the text.
public enum TenantURL {
    public static let maximumLength = 2048

    /// Returns the URL unchanged when it is an absolute http(s) URL with a host and no user
    /// name or password in it.
    @discardableResult
    public static func validate(_ text: String) throws(TenantURLError) -> String {
        guard !text.isEmpty else { throw .empty }
        guard text.utf8.count <= maximumLength else { throw .tooLong }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .whitespace
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .malformed
        }
        guard scheme == "https" || scheme == "http" else { throw .scheme(scheme) }
        // URLComponents reads "https:example.com" as a path; an authority must be present.
        guard text.dropFirst(scheme.count).hasPrefix("://"), let host = components.host, !host.isEmpty else { throw .noHost }
        guard components.user == nil, components.password == nil else { throw .userInfo }
        return text
    }

    /// `validate`, and the host as written must be one `policy` may reach (see
    /// `OutboundPolicy.permits(host:)`).
    @discardableResult
    public static func validate(_ text: String, policy: OutboundPolicy) throws(TenantURLError) -> String {
        try validate(text)
        try checkHost(of: text, policy: policy)
        return text
    }

    /// Refuses a URL of any scheme (smtp:// too) whose host is an internal address or
    /// `localhost` under `policy`. A URL without a readable host passes; other checks refuse it.
    public static func checkHost(of text: String, policy: OutboundPolicy) throws(TenantURLError) {
        guard let host = URLComponents(string: text)?.host, !policy.permits(host: host) else { return }
        throw .internalAddress(host)
    }
}

public enum TenantURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case tooLong
    case whitespace
    case malformed
    case scheme(String)
    case noHost
    case userInfo
    case internalAddress(String)

    public var description: String {
        switch self {
        case .empty: "the URL is empty"
        case .tooLong: "the URL is longer than \(TenantURL.maximumLength) characters"
        case .whitespace: "the URL contains spaces or control characters"
        case .malformed: "the URL cannot be read; write it like https://hooks.example.com/arrears"
        case .scheme(let scheme): "URLs must start with https:// or http://, not \(scheme):"
        case .noHost: "the URL has no host; write it like https://hooks.example.com/arrears"
        case .userInfo: "the URL contains a user name or password; put credentials in the secret instead"
        case .internalAddress(let host):
            "the URL's host \(host) is a loopback, private or link-local address; use a public address "
                + "(the operator may allow private ones with \(OutboundPolicy.allowPrivateURLsVariable)=1)"
        }
    }
}

extension OutboundPolicy {
    public static let allowPrivateURLsVariable = "ARREARS_ALLOW_PRIVATE_URLS"

    /// The policy for destinations tenants configure (their SMTP server, webhooks, CRM): public
    /// addresses only, unless the operator sets `ARREARS_ALLOW_PRIVATE_URLS=1` (for example
    /// for a single-tenant installation whose mail relay sits on the private network).
    public static func forTenantDestinations(environment: [String: String] = ProcessInfo.processInfo.environment) -> OutboundPolicy {
        let value = environment[allowPrivateURLsVariable]?.trimmingCharacters(in: .whitespaces).lowercased()
        return ["1", "true", "yes"].contains(value ?? "") ? .privateAddressesAllowed : .publicAddressesOnly
    }
}
