import Foundation

public enum ContactStatus: String, Hashable, Sendable, Codable {
    case unverified, valid, bounced
    /// Opted out of this channel, or on the tenant's suppression list.
    case optedOut = "opted_out"
    /// Found by an agent and waiting for a person to approve it: not written to until then.
    case proposed
    /// A proposal a person turned down: never written to, never proposed again.
    case rejected
}

/// A person or mailbox reminders can go to.
public struct Contact: Hashable, Sendable {
    public var address: String
    public var status: ContactStatus

    public init(address: String, status: ContactStatus) {
        self.address = address
        self.status = status
    }

    /// Unverified addresses are tried; a bounce, an opt-out or a proposal nobody approved rules one out.
    public var isUsable: Bool { status == .valid || status == .unverified }

    /// The part after `@`, lower-cased, for the policy's do-not-contact domains.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...].lowercased()
    }
}
