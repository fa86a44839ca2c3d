import Foundation

/// Whether reminders can reach the customer at all.
public enum ContactHealth: String, Hashable, Sendable, Codable {
    /// At least one address that has not bounced or opted out.
    case valid
    /// Every address bounced (some may also have opted out): reminders would go nowhere.
    case bouncedOnly = "bounced_only"
    /// No usable address and none that bounced: never had one, or all opted out.
    case noContact = "none"

    /// `blockedDomains` are lower-case domains the tenant never writes to; such addresses count as unusable.
    public init(of contacts: [Contact], blockedDomains: Set<String> = []) {
        var anyBounced = false
        for contact in contacts {
            if !blockedDomains.isEmpty, blockedDomains.contains(contact.domain) { continue }
            if contact.isUsable {
                self = .valid
                return
            }
            if contact.status == .bounced { anyBounced = true }
        }
        self = anyBounced ? .bouncedOnly : .noContact
    }
}
