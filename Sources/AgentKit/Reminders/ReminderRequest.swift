import Dunning
import Foundation
import Mail

/// Who a tenant's reminders come from.
public struct SenderIdentity: Sendable, Hashable {
    /// The AR mailbox, with its display name ("Acme Accounts Receivable <ar@acme.example>").
    public var address: MailAddress
    public var companyName: String
    public var replyTo: MailAddress?
    /// The signature's lines ("Jane Roe", "Accounts Receivable", "+49 30 1234567"); by default the
    /// mailbox's display name and the company name.
    public var signature: [String]
    /// How to pay (bank details, a payment page), as the tenant wrote it, in the customer's language.
    public var paymentInstructions: String?
    /// The right-hand side of generated Message-IDs; by default the sender address's domain.
    public var messageIDDomain: String?

    public init(
        address: MailAddress, companyName: String, replyTo: MailAddress? = nil, signature: [String] = [],
        paymentInstructions: String? = nil, messageIDDomain: String? = nil
    ) {
        self.address = address
        self.companyName = companyName
        self.replyTo = replyTo
        self.signature = signature
        self.paymentInstructions = paymentInstructions
        self.messageIDDomain = messageIDDomain
    }
}

extension SenderIdentity {
    /// The Message-ID of this sender's message for a task's step: the same on every attempt, so it
    /// is known before the message is written.
    public func messageID(taskID: String, step: String) -> String {
        MessageID.deterministic(taskID: taskID, step: step, domain: messageIDDomain ?? address.domain)
    }
}

/// The customer a reminder is for.
public struct ReminderCustomer: Sendable, Hashable {
    public var name: String
    /// The customer number the tenant knows it by, printed so the customer can match it.
    public var accountReference: String?
    public var language: ReminderLanguage
    /// Days overdue and the Date header follow this zone.
    public var timeZone: TimeZone

    public init(name: String, accountReference: String? = nil, language: ReminderLanguage, timeZone: TimeZone) {
        self.name = name
        self.accountReference = accountReference
        self.language = language
        self.timeZone = timeZone
    }
}

/// An invoice a reminder covers, with its open balance.
public struct ReminderInvoice: Sendable, Hashable {
    public var number: String
    public var openAmount: Money
    public var dueOn: CalendarDate

    public init(number: String, openAmount: Money, dueOn: CalendarDate) {
        self.number = number
        self.openAmount = openAmount
        self.dueOn = dueOn
    }
}

/// What happened lately that the reminder should acknowledge.
public struct ReminderHistory: Sendable, Hashable {
    /// A payment received recently; the open amounts already reflect it.
    public var recentPayment: ReceivedPayment?
    /// The customer's latest promise to pay: thanked when kept, recalled when broken, noted when active.
    public var promise: PromiseToPay?
    /// When the previous reminder in this episode was sent.
    public var previousReminderOn: CalendarDate?

    public init(recentPayment: ReceivedPayment? = nil, promise: PromiseToPay? = nil, previousReminderOn: CalendarDate? = nil) {
        self.recentPayment = recentPayment
        self.promise = promise
        self.previousReminderOn = previousReminderOn
    }
}

public struct ReceivedPayment: Sendable, Hashable {
    public var amount: Money
    public var receivedOn: CalendarDate

    public init(amount: Money, receivedOn: CalendarDate) {
        self.amount = amount
        self.receivedOn = receivedOn
    }
}

/// The last message of the customer's thread, which a reminder answers.
public struct MailThread: Sendable, Hashable {
    /// Without angle brackets.
    public var lastMessageID: String
    /// The last message's own References.
    public var references: [String]
    /// The last message's subject; the reminder answers it with "Re: ".
    public var subject: String?

    public init(lastMessageID: String, references: [String] = [], subject: String? = nil) {
        self.lastMessageID = lastMessageID
        self.references = references
        self.subject = subject
    }
}

/// Everything a reminder says, decided before it is written.
public struct ReminderRequest: Sendable, Hashable {
    public var sender: SenderIdentity
    public var customer: ReminderCustomer
    public var to: MailAddress
    public var cc: [MailAddress]
    public var tone: Tone
    public var invoices: [ReminderInvoice]
    public var history: ReminderHistory
    /// A date to pay by, if the policy sets one; without it the reminder asks for payment soon.
    public var payBy: CalendarDate?
    /// Consumers must be offered a simple way to stop e-mail (Regulation F).
    public var includesOptOut: Bool
    public var thread: MailThread?
    public var now: Date
    /// With `step`, makes the Message-ID: the same task and step always give the same message.
    public var taskID: String
    public var step: String

    public init(
        sender: SenderIdentity, customer: ReminderCustomer, to: MailAddress, cc: [MailAddress] = [], tone: Tone,
        invoices: [ReminderInvoice], history: ReminderHistory = ReminderHistory(), payBy: CalendarDate? = nil,
        includesOptOut: Bool = false, thread: MailThread? = nil, now: Date, taskID: String, step: String
    ) {
        self.sender = sender
        self.customer = customer
        self.to = to
        self.cc = cc
        self.tone = tone
        self.invoices = invoices
        self.history = history
        self.payBy = payBy
        self.includesOptOut = includesOptOut
        self.thread = thread
        self.now = now
        self.taskID = taskID
        self.step = step
    }

    /// The customer's local date at `now`.
    public var today: CalendarDate { LocalDateTime(now, in: customer.timeZone).date }
}
