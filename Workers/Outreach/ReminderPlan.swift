import AgentKit
import Dunning
import Foundation
import Store

/// What the reminder the scheduler decided on comes to once the book is read again at sending time:
/// since the decision, invoices may have been paid or disputed, a promise or a reply may have come
/// in, or the address may have bounced. Pure: the agent loads, this decides.
enum ReminderCheck: Equatable {
    case send(ReminderPlan)
    /// Nothing to send; `discoverContact` when the reason is that no address is left.
    case skip(reason: String, discoverContact: Bool)
    /// Ask again shortly: a reply is waiting to be read and may change everything.
    case wait(reason: String)
}

struct ReminderPlan: Equatable {
    var recipient: ContactRecord
    var cc: [String]
    /// Still open, not disputed, not under a promise whose date has not come; earliest due first.
    var invoices: [Invoice]
}

extension ReminderCheck {
    /// Contact roles in the order reminders prefer them after the primary contact.
    static let rolePreference = ["accounts_payable", "billing", "finance", "accounting"]

    static func check(_ dossier: CustomerDossier, invoiceIDs: [Int64], escalationLevel: Int, policy: Policy,
                      now: Date) -> ReminderCheck {
        let customer = dossier.customer
        let today = dossier.today(at: now)
        if customer.status == "do_not_contact" || customer.status == "closed" {
            return .skip(reason: "the customer is \(customer.status.replacingOccurrences(of: "_", with: "-"))", discoverContact: false)
        }
        if let pausedUntil = customer.pausedUntil, pausedUntil > today {
            return .skip(reason: "outreach is paused until \(pausedUntil)", discoverContact: false)
        }
        if dossier.hasUntriagedReplies {
            return .wait(reason: "a reply from the customer is being read first")
        }

        let promised = dossier.promises.filter { $0.status == "active" && $0.promisedOn.adding(days: policy.promiseGraceDays) >= today }
        func underPromise(_ invoice: Invoice) -> Bool {
            promised.contains { $0.invoiceIDs.isEmpty || $0.invoiceIDs.contains(invoice.id) }
        }
        let wanted = Set(invoiceIDs)
        let invoices = dossier.collectibleInvoices.filter { wanted.contains($0.id) && !underPromise($0) }
        guard !invoices.isEmpty else {
            return .skip(reason: "nothing left to remind about: the invoices were paid, disputed or promised since the decision",
                         discoverContact: false)
        }

        let blockedDomains = policy.doNotContact.domains
        let candidates = dossier.reachableContacts.filter { contact in
            !blockedDomains.contains(contact.email.split(separator: "@").last.map { $0.lowercased() } ?? "")
        }
        guard let recipient = candidates.min(by: { preference($0) < preference($1) }) else {
            return .skip(reason: "no address to write to: every contact bounced or opted out", discoverContact: true)
        }
        // The account owner reads along once the customer has escalated.
        let cc = escalationLevel >= 1 ? [customer.accountOwnerEmail].compactMap { $0 } : []
        return .send(ReminderPlan(recipient: recipient, cc: cc, invoices: invoices))
    }

    private static func preference(_ contact: ContactRecord) -> (Int, Int, Int64) {
        (contact.isPrimary ? 0 : 1, rolePreference.firstIndex(of: contact.role) ?? rolePreference.count, contact.id)
    }
}
