import Mail
import Store

/// Which customer an inbound message belongs to, and how that was found. In order: the
/// message it answers (In-Reply-To), then the newest of its References, then for a bounce the
/// returned original's Message-ID and its Final-Recipient among the contacts, then the sender
/// among the contacts. An address that is a contact of several customers decides nothing.
struct InboundThread: Equatable {
    var customerID: Int64?
    var contactID: Int64?
    /// in_reply_to, references, bounce or sender; nil when unmatched.
    var matchedBy: String?

    /// The Message-IDs to look up. One holding NUL names nothing stored (PostgreSQL text
    /// cannot hold NUL), so it is not looked up.
    static func messageIDs(of message: ParsedMessage) -> [String] {
        var ids = message.inReplyTo + message.references
        if let original = message.deliveryStatus?.originalMessageID { ids.append(original) }
        return Array(Set(ids.filter { !$0.contains("\u{0}") }))
    }

    /// The addresses to look up among contacts: the sender's, and a bounce's failed recipients.
    static func addresses(of message: ParsedMessage) -> [String] {
        let addresses = [sender(of: message)].compactMap { $0 } + bouncedRecipients(of: message)
        return Array(Set(addresses.filter { !$0.contains("\u{0}") }.map { $0.lowercased() }))
    }

    static func sender(of message: ParsedMessage) -> String? {
        message.from.first?.address
    }

    /// The recipients a delivery status notification reports as failed (all it names when it
    /// marks none as failed).
    static func bouncedRecipients(of message: ParsedMessage) -> [String] {
        guard let report = message.deliveryStatus else { return [] }
        let reported = report.failures.isEmpty ? report.recipients : report.failures
        return reported.compactMap { $0.finalRecipient ?? $0.originalRecipient }
    }

    static func match(_ message: ParsedMessage, messages: [ThreadedMessage], contacts: [Contact]) -> InboundThread {
        let known = Dictionary(messages.map { ($0.messageID, $0) }, uniquingKeysWith: { first, _ in first })
        let isBounce = message.deliveryStatus != nil
        // The person the message is about: who wrote it, or for a bounce, whose mailbox failed.
        let people = (isBounce ? bouncedRecipients(of: message) : [sender(of: message)].compactMap { $0 }).map { $0.lowercased() }

        func contact(of customerID: Int64, among addresses: [String]) -> Int64? {
            for address in addresses {
                if let contact = contacts.first(where: { $0.customerID == customerID && $0.email.lowercased() == address }) {
                    return contact.id
                }
            }
            return nil
        }
        func threaded(_ earlier: ThreadedMessage, _ how: String) -> InboundThread {
            InboundThread(customerID: earlier.customerID,
                          contactID: contact(of: earlier.customerID, among: people) ?? (isBounce ? earlier.contactID : nil),
                          matchedBy: how)
        }
        func soleCustomer(of addresses: [String], _ how: String) -> InboundThread? {
            let matching = contacts.filter { addresses.contains($0.email.lowercased()) }
            guard let first = matching.first, Set(matching.map(\.customerID)).count == 1 else { return nil }
            return InboundThread(customerID: first.customerID, contactID: contact(of: first.customerID, among: addresses), matchedBy: how)
        }

        for id in message.inReplyTo {
            if let earlier = known[id] { return threaded(earlier, "in_reply_to") }
        }
        for id in message.references.reversed() {
            if let earlier = known[id] { return threaded(earlier, "references") }
        }
        if isBounce {
            if let original = message.deliveryStatus?.originalMessageID, let earlier = known[original] {
                return threaded(earlier, "bounce")
            }
            if let found = soleCustomer(of: people, "bounce") { return found }
        }
        if let sender = sender(of: message)?.lowercased(), let found = soleCustomer(of: [sender], "sender") {
            return found
        }
        return InboundThread()
    }
}
