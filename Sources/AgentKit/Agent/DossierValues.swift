import Dunning
import Foundation
import Mail
import Store

/// The dossier's rows as the domain values that reminders and notices are written from.
extension CustomerDossier {
    public var timeZone: TimeZone { TimeZone(identifier: customer.timeZone) ?? .gmt }

    public var language: ReminderLanguage { ReminderLanguage(code: customer.language) }

    /// The customer's local date at `instant`.
    public func today(at instant: Date) -> CalendarDate { LocalDateTime(instant, in: timeZone).date }

    public func money(_ minorUnits: Int64, _ currency: String) -> Money? {
        CurrencyCode(code: currency).map { Money(minorUnits: minorUnits, currency: $0) }
    }

    public var openInvoiceValues: [OpenInvoice] {
        openInvoices.compactMap { invoice in
            money(invoice.openAmount, invoice.currency).map {
                OpenInvoice(number: invoice.number, issuedOn: invoice.issuedOn, dueOn: invoice.dueOn, openAmount: $0,
                            isDisputed: disputedInvoiceIDs.contains(invoice.id))
            }
        }
    }

    /// The promise as the domain sees it, with invoice numbers for ids.
    public func promiseValue(_ promise: Promise) -> PromiseToPay? {
        guard let status = PromiseStatus(rawValue: promise.status) else { return nil }
        let numbers = Dictionary(openInvoices.map { ($0.id, $0.number) }, uniquingKeysWith: { first, _ in first })
        return PromiseToPay(
            promisedOn: promise.promisedOn,
            amount: promise.amount.flatMap { amount in promise.currency.flatMap { money(amount, $0) } },
            invoiceNumbers: promise.invoiceIDs.compactMap { numbers[$0] }, status: status,
            resolvedOn: promise.resolvedAt.map(today(at:)))
    }

    /// Active promises first, then the others, newest first within each.
    public var promiseValues: [PromiseToPay] {
        promises.compactMap(promiseValue)
    }

    /// The last message of the thread, which a new one answers.
    public var threadTail: MailThread? {
        recentMessages.first.map { MailThread(lastMessageID: $0.messageID, references: $0.references, subject: $0.subject) }
    }

    /// The thread oldest first, as the owner reads it.
    public var threadMessages: [ThreadMessage] {
        recentMessages.reversed().map { message in
            let inbound = message.direction == "inbound"
            return ThreadMessage(
                direction: inbound ? .inbound : .outbound, at: message.sentAt ?? message.receivedAt ?? message.createdAt,
                counterpart: inbound ? message.fromAddress : (message.toAddresses.first ?? ""),
                subject: message.subject, excerpt: String(message.bodyText.prefix(240)),
                classification: message.classification)
        }
    }

    /// The reminders sent before, newest first.
    public var previousReminders: [Message] {
        recentMessages.filter { $0.direction == "outbound" && $0.stage != nil && ["sent", "unconfirmed"].contains($0.status) }
    }
}

extension TenantStore {
    /// The tenant's dunning policy, or the standard one when it has none. A stored policy that no
    /// longer reads also falls back to the standard one: the scheduler refuses to decide with it, so
    /// tasks only exist for decisions made when it still read.
    public func dunningPolicy() async throws -> Policy {
        guard let stored = try await policy() else { return .standard }
        return (try? Policy.decode(json: Data(stored.document.utf8))) ?? .standard
    }
}
