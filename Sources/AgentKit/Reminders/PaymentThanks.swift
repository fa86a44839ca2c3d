import Dunning
import Foundation
import Mail

/// A short note that thanks a customer for keeping a promise to pay, in the thread of the reminders,
/// naming the invoices the payment settled. Deterministic like a reminder: the same task and step
/// give the same message.
public struct PaymentThanks: Sendable {
    public var sender: SenderIdentity
    public var customer: ReminderCustomer
    public var to: MailAddress
    /// The invoices the promise covered, all settled now.
    public var invoiceNumbers: [String]
    public var promisedOn: CalendarDate
    public var thread: MailThread?
    public var now: Date
    public var taskID: String
    public var step: String

    public init(sender: SenderIdentity, customer: ReminderCustomer, to: MailAddress, invoiceNumbers: [String],
                promisedOn: CalendarDate, thread: MailThread?, now: Date, taskID: String, step: String) {
        self.sender = sender
        self.customer = customer
        self.to = to
        self.invoiceNumbers = invoiceNumbers
        self.promisedOn = promisedOn
        self.thread = thread
        self.now = now
        self.taskID = taskID
        self.step = step
    }

    public var mail: OutgoingMail {
        let language = customer.language
        let wording = language.wording
        let invoices = invoiceNumbers.isEmpty ? nil : wording.list(invoiceNumbers)
        let date = language.format(promisedOn)
        let (subject, greeting, body, closing) = text(language, invoices: invoices, date: date)
        let letter = Letter(blocks: [
            .paragraph(greeting), .paragraph(body), .paragraph(closing),
            .lines(ReminderComposer.signature(sender, wording)),
        ], language: language)
        var mail = OutgoingMail(
            from: sender.address, to: [to], replyTo: sender.replyTo.map { [$0] } ?? [],
            subject: thread.map { "Re: " + ($0.subject.map(ReminderComposer.withoutReplyPrefixes).flatMap { $0.isEmpty ? nil : $0 } ?? subject) } ?? subject,
            date: now, timeZone: customer.timeZone, messageID: sender.messageID(taskID: taskID, step: step),
            textBody: letter.text, htmlBody: letter.html)
        if let thread { mail.continueThread(after: thread.lastMessageID, parentReferences: thread.references) }
        return mail
    }

    private func text(_ language: ReminderLanguage, invoices: String?, date: String) -> (String, String, String, String) {
        let name = to.name
        switch language {
        case .english:
            return ("Thank you for your payment",
                    name.map { "Dear \($0)," } ?? "Hello,",
                    "Thank you: your payment\(invoices.map { " for \($0)" } ?? "") has arrived, as you promised for \(date). "
                        + "Nothing is outstanding on it any more.",
                    "Kind regards,")
        case .german:
            return ("Vielen Dank für Ihre Zahlung",
                    name.map { "Guten Tag \($0)," } ?? "Guten Tag,",
                    "Vielen Dank: Ihre Zahlung\(invoices.map { " für \($0)" } ?? "") ist wie zugesagt zum \(date) eingegangen. "
                        + "Damit ist hierzu nichts mehr offen.",
                    "Mit freundlichen Grüßen")
        case .french:
            return ("Merci pour votre paiement",
                    name.map { "Bonjour \($0)," } ?? "Bonjour,",
                    "Merci\u{00A0}: votre paiement\(invoices.map { " pour \($0)" } ?? "") nous est bien parvenu, comme promis pour le \(date). "
                        + "Plus rien n’est dû à ce titre.",
                    "Cordialement,")
        }
    }
}
