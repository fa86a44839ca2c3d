import Dunning
import Foundation

extension OwnerNotice {
    /// The notice as a webhook body (event `owner.notification`). Amounts are
    /// `{"amount": "1234.50", "currency": "EUR"}`, dates `YYYY-MM-DD`, instants ISO 8601.
    public var payload: Payload {
        Payload(
            customer: .init(name: customerName, reference: accountReference),
            escalationLevel: escalationLevel,
            reasons: reasons,
            overdueTotals: overdueTotals,
            oldestInvoice: oldestOverdueInvoice.map(invoice),
            openInvoices: openInvoices.sorted { ($0.dueOn, $0.number) < ($1.dueOn, $1.number) }.map(invoice),
            promises: promises.map { .init(promisedOn: $0.promisedOn, amount: $0.amount, status: $0.status.rawValue, invoices: $0.invoiceNumbers) },
            recentMessages: recentMessages.map {
                .init(direction: $0.direction.rawValue, at: $0.at, counterpart: $0.counterpart, subject: $0.subject,
                      excerpt: $0.excerpt, classification: $0.classification)
            },
            actions: actions.map { .init(at: $0.at, description: $0.description) },
            outreachPaused: outreachPaused,
            asOf: today)
    }

    private func invoice(_ invoice: OpenInvoice) -> Payload.Invoice {
        .init(number: invoice.number, amount: invoice.openAmount, dueOn: invoice.dueOn,
              daysOverdue: daysOverdue(invoice), disputed: invoice.isDisputed)
    }

    public struct Payload: Encodable, Sendable {
        public static let event = "owner.notification"

        public struct Customer: Encodable, Sendable {
            let name: String
            let reference: String?

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(name, forKey: "name")
                try container.encode(reference, forKey: "reference")
            }
        }

        public struct Invoice: Encodable, Sendable {
            let number: String
            let amount: Money
            let dueOn: CalendarDate
            let daysOverdue: Int
            let disputed: Bool

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(number, forKey: "number")
                try container.encode(amount, forKey: "amount")
                try container.encode(dueOn, forKey: "due_on")
                try container.encode(daysOverdue, forKey: "days_overdue")
                try container.encode(disputed, forKey: "disputed")
            }
        }

        public struct Promise: Encodable, Sendable {
            let promisedOn: CalendarDate
            let amount: Money?
            let status: String
            let invoices: [String]

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(promisedOn, forKey: "promised_on")
                try container.encode(amount, forKey: "amount")
                try container.encode(status, forKey: "status")
                try container.encode(invoices, forKey: "invoices")
            }
        }

        public struct Message: Encodable, Sendable {
            let direction: String
            let at: Date
            let counterpart: String
            let subject: String
            let excerpt: String
            let classification: String?

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: AnyKey.self)
                try container.encode(direction, forKey: "direction")
                try container.encode(at, forKey: "at")
                try container.encode(counterpart, forKey: "counterpart")
                try container.encode(subject, forKey: "subject")
                try container.encode(excerpt, forKey: "excerpt")
                try container.encode(classification, forKey: "classification")
            }
        }

        public struct Action: Encodable, Sendable {
            let at: Date
            let description: String
        }

        /// Keys written as string literals, so every key (null ones too) is spelled where it is written.
        struct AnyKey: CodingKey, ExpressibleByStringLiteral {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringLiteral value: String) { stringValue = value }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        let customer: Customer
        let escalationLevel: Int
        let reasons: [String]
        let overdueTotals: [Money]
        let oldestInvoice: Invoice?
        let openInvoices: [Invoice]
        let promises: [Promise]
        let recentMessages: [Message]
        let actions: [Action]
        let outreachPaused: Bool
        let asOf: CalendarDate

        enum CodingKeys: String, CodingKey {
            case event, customer, reasons, promises, actions
            case escalationLevel = "escalation_level", overdueTotals = "overdue_totals", oldestInvoice = "oldest_invoice"
            case openInvoices = "open_invoices", recentMessages = "recent_messages", outreachPaused = "outreach_paused", asOf = "as_of"
        }

        /// Every key is written, null when empty, so receivers see one shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Self.event, forKey: .event)
            try container.encode(customer, forKey: .customer)
            try container.encode(escalationLevel, forKey: .escalationLevel)
            try container.encode(reasons, forKey: .reasons)
            try container.encode(overdueTotals, forKey: .overdueTotals)
            try container.encode(oldestInvoice, forKey: .oldestInvoice)
            try container.encode(openInvoices, forKey: .openInvoices)
            try container.encode(promises, forKey: .promises)
            try container.encode(recentMessages, forKey: .recentMessages)
            try container.encode(actions, forKey: .actions)
            try container.encode(outreachPaused, forKey: .outreachPaused)
            try container.encode(asOf, forKey: .asOf)
        }
    }
}
