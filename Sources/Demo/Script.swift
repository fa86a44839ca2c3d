import Dunning
import Foundation

/// A mail the agents sent, as the scripted customer who receives it reads it.
struct ReceivedReminder: Sendable {
    let to: String
    let messageID: String
    let subject: String
    let references: [String]
    /// The customer's open invoice numbers it names.
    let invoices: [String]
}

/// Something a scripted customer does at a simulated instant.
struct Reaction: Sendable {
    enum Action: Sendable {
        /// A reply in the thread of `answering`.
        case reply(from: String, subject: String, text: String, answering: ReceivedReminder, kind: String)
        /// The customer's mail server returns the reminder: the address does not exist.
        case bounce(failed: String, answering: ReceivedReminder)
        /// Pays these invoices in full (those not paid yet), or `share` of each.
        case pay(invoices: [String], share: Double)
    }

    let at: Date
    let customer: String
    let action: Action
}

/// One scripted customer: what it has seen, and how its persona answers the next reminder.
struct CustomerScript: Sendable {
    let customer: DemoCustomer
    private(set) var reminders = 0
    private(set) var remindersToOther = 0
    private(set) var settled: Set<String> = []
    private var disputed: String?

    init(_ customer: DemoCustomer) {
        self.customer = customer
    }

    mutating func markPaid(_ invoices: [String]) {
        settled.formUnion(invoices)
    }

    /// What this customer does about `reminder`, received at `now` (its local date `today`).
    mutating func react(to reminder: ReceivedReminder, now: Date, today: CalendarDate) -> [Reaction] {
        let day: TimeInterval = 86_400
        let toOther = reminder.to.lowercased() == customer.otherEmail?.lowercased()
        if toOther { remindersToOther += 1 } else { reminders += 1 }
        let open = customer.openInvoices.map(\.number).filter { !settled.contains($0) && $0 != disputed }
        let mentioned = reminder.invoices.filter(open.contains)
        let words = ReplyWords(language: customer.language, signature: customer.contactName)
        func reply(after days: Double, _ kind: String, _ text: String, subject: String? = nil) -> Reaction {
            Reaction(at: now.addingTimeInterval(days * day), customer: customer.reference,
                     action: .reply(from: "\(customer.contactName) <\(customer.contactEmail)>",
                                    subject: subject ?? "Re: " + reminder.subject, text: text, answering: reminder, kind: kind))
        }
        func pay(after days: Double, _ invoices: [String], share: Double = 1) -> Reaction {
            Reaction(at: now.addingTimeInterval(days * day), customer: customer.reference, action: .pay(invoices: invoices, share: share))
        }

        switch customer.persona {
        case .punctual where reminders == 1:
            return [pay(after: 1, open)]
        case .slow where reminders == 2:
            return [pay(after: 3, open)]
        case .promiseKeeper where reminders == 1:
            let date = today.adding(days: 5)
            return [reply(after: 0.3, "promise_to_pay", words.promise(mentioned.isEmpty ? open : mentioned, on: date)),
                    pay(after: 5.1, open)]
        case .promiseBreaker where reminders == 1:
            return [reply(after: 0.5, "promise_to_pay", words.promise(mentioned.isEmpty ? open : mentioned, on: today.adding(days: 4)))]
        case .disputer where reminders == 1:
            let largest = customer.openInvoices.filter { mentioned.contains($0.number) }.max { $0.amount < $1.amount }?.number
            guard let largest else { return [] }
            disputed = largest
            return [reply(after: 0.4, "dispute", words.dispute(largest)), pay(after: 2, open.filter { $0 != largest })]
        case .away where reminders == 1:
            return [reply(after: 0.01, "out_of_office", words.absence(until: today.adding(days: 6)), subject: words.autoReplySubject(reminder.subject))]
        case .away where reminders == 2, .asker where reminders == 2:
            return [pay(after: 1, open)]
        case .asker where reminders == 1:
            return [reply(after: 0.6, "question", words.question(mentioned.first ?? open.first ?? ""))]
        case .colleague where !toOther && reminders == 1:
            return [reply(after: 0.5, "contact_change", words.colleague(customer.otherEmail ?? ""))]
        case .colleague where toOther && remindersToOther == 1, .deadContact where toOther && remindersToOther == 1:
            return [pay(after: 1.5, open)]
        case .deadContact where !toOther:
            return [Reaction(at: now.addingTimeInterval(0.002 * day), customer: customer.reference,
                             action: .bounce(failed: reminder.to, answering: reminder))]
        case .keyAccount where reminders == 2:
            return [pay(after: 2, open, share: 0.4)]
        default:
            return []
        }
    }
}

/// The scripted customers' words, in their language, as people write them.
struct ReplyWords {
    let language: String
    let signature: String

    private func format(_ date: CalendarDate) -> String {
        let day = date.day < 10 ? "0\(date.day)" : "\(date.day)"
        let month = date.month < 10 ? "0\(date.month)" : "\(date.month)"
        return switch language {
        case "de": "\(day).\(month).\(date.year)"
        case "fr": "\(day)/\(month)/\(date.year)"
        default: date.description
        }
    }

    private func letter(_ greeting: String, _ body: String, _ closing: String) -> String {
        "\(greeting)\n\n\(body)\n\n\(closing)\n\(signature)\n"
    }

    func promise(_ invoices: [String], on date: CalendarDate) -> String {
        let list = invoices.joined(separator: ", ")
        return switch language {
        case "de": letter("Guten Tag,", "die Zahlung für \(list) erfolgt am \(format(date)).", "Viele Grüße")
        case "fr": letter("Bonjour,", "nous allons régler \(list) le \(format(date)).", "Cordialement,")
        default: letter("Hello,", "sorry for the delay. We will pay \(list) on \(format(date)).", "Best regards,")
        }
    }

    func dispute(_ invoice: String) -> String {
        switch language {
        case "de": letter("Guten Tag,", "wir widersprechen der Rechnung \(invoice). Die Ware wurde beschädigt geliefert.", "Mit freundlichen Grüßen")
        case "fr": letter("Bonjour,", "nous contestons la facture \(invoice) : la marchandise est arrivée endommagée.", "Cordialement,")
        default: letter("Hello,", "we dispute invoice \(invoice): the goods arrived damaged and we have returned them.", "Regards,")
        }
    }

    func autoReplySubject(_ subject: String) -> String {
        switch language {
        case "de": "Automatische Antwort: \(subject)"
        case "fr": "Réponse automatique : \(subject)"
        default: "Automatic reply: \(subject)"
        }
    }

    func absence(until date: CalendarDate) -> String {
        switch language {
        case "de": "Vielen Dank für Ihre Nachricht. Ich bin bis \(format(date)) nicht im Büro und habe keinen Zugriff auf meine E-Mails.\n"
        case "fr": "Merci pour votre message. Je suis absent du bureau jusqu’au \(format(date)) inclus.\n"
        default: "Thank you for your email. I am out of the office until \(format(date)) with no access to email.\n"
        }
    }

    func colleague(_ email: String) -> String {
        switch language {
        case "de": letter("Guten Tag,", "ich bin nicht mehr für die Buchhaltung zuständig. Bitte schreiben Sie künftig an \(email).", "Viele Grüße")
        case "fr": letter("Bonjour,", "je ne m’occupe plus de la comptabilité fournisseurs. Merci d’écrire désormais à \(email).", "Cordialement,")
        default: letter("Hello,", "I no longer handle supplier invoices. Please write to my colleague at \(email) from now on.", "Thanks,")
        }
    }

    func question(_ invoice: String) -> String {
        switch language {
        case "de": letter("Guten Tag,", "könnten Sie mir bitte eine Kopie der Rechnung \(invoice) schicken? Ich finde sie nicht.", "Danke und viele Grüße")
        case "fr": letter("Bonjour,", "pourriez-vous m’envoyer une copie de la facture \(invoice) ? Je ne la trouve pas.", "Merci,")
        default: letter("Hello,", "could you send me a copy of invoice \(invoice)? I cannot find it in our system.", "Thanks,")
        }
    }
}
