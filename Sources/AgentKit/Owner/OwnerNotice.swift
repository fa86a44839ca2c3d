import Dunning
import Foundation

/// A message in the customer's thread, as the owner sees it in a notice.
public struct ThreadMessage: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, Codable {
        case inbound, outbound
    }

    public var direction: Direction
    public var at: Date
    /// The customer's address: the sender of an inbound message, the recipient of an outbound one.
    public var counterpart: String
    public var subject: String
    /// The first words of the new text.
    public var excerpt: String
    /// The triage kind of an inbound message ("promise_to_pay").
    public var classification: String?

    public init(direction: Direction, at: Date, counterpart: String, subject: String, excerpt: String, classification: String? = nil) {
        self.direction = direction
        self.at = at
        self.counterpart = counterpart
        self.subject = subject
        self.excerpt = excerpt
        self.classification = classification
    }
}

/// Something an agent did for the customer, in plain words ("sent a firm reminder for INV-1").
public struct AgentAction: Sendable, Hashable {
    public var at: Date
    public var description: String

    public init(at: Date, description: String) {
        self.at = at
        self.description = description
    }
}

/// What the account owner needs to take over a customer: what is overdue and since when, what was
/// promised and whether it was kept, the latest messages, and what the agents have done. Sent as
/// mail (`mail(...)`) or as a webhook (`payload`).
public struct OwnerNotice: Sendable {
    public var customerName: String
    public var accountReference: String?
    public var escalationLevel: Int
    /// Why the owner is told now, as the decision gave them.
    public var reasons: [String]
    public var openInvoices: [OpenInvoice]
    public var promises: [PromiseToPay]
    /// Oldest first; the notice shows the last `messageLimit`.
    public var messages: [ThreadMessage]
    /// Oldest first.
    public var actions: [AgentAction]
    /// Whether automated outreach is paused while the owner handles the customer.
    public var outreachPaused: Bool
    /// The customer's local date the figures are computed for.
    public var today: CalendarDate
    /// Times in the notice are shown in this zone.
    public var timeZone: TimeZone
    public var messageLimit = 5

    public init(
        customerName: String, accountReference: String? = nil, escalationLevel: Int, reasons: [String],
        openInvoices: [OpenInvoice], promises: [PromiseToPay] = [], messages: [ThreadMessage] = [],
        actions: [AgentAction] = [], outreachPaused: Bool, today: CalendarDate, timeZone: TimeZone
    ) {
        self.customerName = customerName
        self.accountReference = accountReference
        self.escalationLevel = escalationLevel
        self.reasons = reasons
        self.openInvoices = openInvoices
        self.promises = promises
        self.messages = messages
        self.actions = actions
        self.outreachPaused = outreachPaused
        self.today = today
        self.timeZone = timeZone
    }

    /// Invoices past their due date and not disputed, oldest first.
    public var overdueInvoices: [OpenInvoice] {
        openInvoices.filter { !$0.isDisputed && $0.openAmount.minorUnits > 0 && $0.dueOn < today }
            .sorted { ($0.dueOn, $0.number) < ($1.dueOn, $1.number) }
    }

    /// One total per currency, never converted.
    public var overdueTotals: [Money] {
        DraftFacts.totals(overdueInvoices.map(\.openAmount)).sorted { $0.currency < $1.currency }
    }

    public var oldestOverdueInvoice: OpenInvoice? { overdueInvoices.first }

    public func daysOverdue(_ invoice: OpenInvoice) -> Int { invoice.dueOn.days(until: today) }

    var recentMessages: [ThreadMessage] { Array(messages.suffix(messageLimit)) }
}
