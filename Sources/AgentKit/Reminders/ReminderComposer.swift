import Dunning
import Foundation
import Mail

/// A reminder ready to record and send, with the facts it states.
public struct ComposedReminder: Sendable {
    public let mail: OutgoingMail
    /// What the reminder may say; a language model's rewrite is checked against these.
    public let facts: DraftFacts
}

/// Writes payment reminders from templates: in the customer's language (English, German or
/// French), in the tone the policy chose, naming each invoice with its amount, due date and days
/// overdue, acknowledging recent history, and continuing the customer's thread.
public struct ReminderComposer: Sendable {
    public init() {}

    public func compose(_ request: ReminderRequest) -> ComposedReminder {
        let wording = request.customer.language.wording
        let phrasing = Self.phrasing(request, wording)
        let blocks = body(wording, phrasing) + ending(request, wording, phrasing)
        return ComposedReminder(mail: mail(request, wording, phrasing, Letter(blocks: blocks, language: wording.language)), facts: DraftFacts(request))
    }

    /// The same reminder with its body written by someone else (a language model whose text
    /// passed the guardrail); the payment instructions, closing, signature and opt-out line stay
    /// the template's.
    func compose(_ request: ReminderRequest, draftedBody: String) -> OutgoingMail {
        let wording = request.customer.language.wording
        let phrasing = Self.phrasing(request, wording)
        let blocks = Letter.blocks(fromPlainText: Self.withoutClosing(draftedBody)) + ending(request, wording, phrasing)
        return mail(request, wording, phrasing, Letter(blocks: blocks, language: wording.language))
    }

    /// The template's body, from the greeting to the last request, as plain text: what a model
    /// is shown as the reference draft.
    func templateBody(_ request: ReminderRequest) -> String {
        let wording = request.customer.language.wording
        return Letter(blocks: body(wording, Self.phrasing(request, wording)), language: wording.language).text
    }

    private func body(_ wording: any ReminderWording, _ phrasing: ReminderPhrasing) -> [Letter.Block] {
        var blocks: [Letter.Block] = [.paragraph(wording.greeting(phrasing)), .paragraph(wording.intro(phrasing))]
        blocks.append(.table(
            header: wording.tableHeader,
            rows: phrasing.invoices.map { [$0.number, $0.amount, $0.dueOn, wording.standing(daysOverdue: $0.daysOverdue)] },
            textLines: phrasing.invoices.map(wording.invoiceLine)))
        let summary = (phrasing.isSingle ? [] : [wording.total(phrasing.totals)])
            + (phrasing.accountReference.map { [wording.accountReference($0)] } ?? [])
        if !summary.isEmpty { blocks.append(.lines(summary)) }
        if let payment = phrasing.payment {
            blocks.append(.paragraph(wording.payment(amount: payment.amount, receivedOn: payment.receivedOn)))
        }
        if let promise = phrasing.promise { blocks.append(.paragraph(wording.promise(promise))) }
        blocks.append(.paragraph(wording.request(phrasing)))
        blocks.append(.paragraph(wording.help(phrasing)))
        if let consequence = wording.consequence(phrasing) { blocks.append(.paragraph(consequence)) }
        return blocks
    }

    private func ending(_ request: ReminderRequest, _ wording: any ReminderWording, _ phrasing: ReminderPhrasing) -> [Letter.Block] {
        var blocks: [Letter.Block] = []
        if let instructions = request.sender.paymentInstructions?.trimmingCharacters(in: .whitespacesAndNewlines), !instructions.isEmpty {
            blocks.append(.paragraph(instructions))
        }
        blocks.append(.paragraph(wording.closing(phrasing)))
        blocks.append(.lines(Self.signature(request.sender, wording)))
        if request.includesOptOut { blocks.append(.paragraph(wording.optOutLine)) }
        return blocks
    }

    static func signature(_ sender: SenderIdentity, _ wording: any ReminderWording) -> [String] {
        let given = sender.signature.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !given.isEmpty { return given }
        let name = sender.address.name?.trimmingCharacters(in: .whitespaces)
        let first = (name?.isEmpty ?? true) ? wording.teamName : name!
        return first == sender.companyName ? [first] : [first, sender.companyName]
    }

    private func mail(_ request: ReminderRequest, _ wording: any ReminderWording, _ phrasing: ReminderPhrasing, _ letter: Letter) -> OutgoingMail {
        var subject = wording.subject(phrasing)
        if let thread = request.thread {
            let earlier = thread.subject.map(Self.withoutReplyPrefixes) ?? ""
            subject = "Re: " + (earlier.isEmpty ? subject : earlier)
        }
        let replyAddress = request.sender.replyTo ?? request.sender.address
        var mail = OutgoingMail(
            from: request.sender.address,
            to: [request.to],
            cc: request.cc,
            replyTo: request.sender.replyTo.map { [$0] } ?? [],
            subject: subject,
            date: request.now,
            timeZone: request.customer.timeZone,
            messageID: request.sender.messageID(taskID: request.taskID, step: request.step),
            // Opting out by reply is what the letter offers; the header lets mail clients offer it too.
            extraHeaders: request.includesOptOut ? [MailHeader("List-Unsubscribe", "<mailto:\(replyAddress.address)?subject=STOP>")] : [],
            textBody: letter.text,
            htmlBody: letter.html)
        if let thread = request.thread {
            mail.continueThread(after: thread.lastMessageID, parentReferences: thread.references)
        }
        return mail
    }

    static func phrasing(_ request: ReminderRequest, _ wording: any ReminderWording) -> ReminderPhrasing {
        let language = wording.language
        let today = request.today
        let promise: ReminderPhrasing.PromiseNote? = request.history.promise.flatMap { promise in
            let date = language.format(promise.promisedOn)
            let amount = promise.amount.map(language.format)
            switch promise.status {
            case .kept: return .kept(dueOn: date)
            case .broken: return .broken(amount: amount, dueOn: date)
            case .active: return .active(amount: amount, dueOn: date)
            case .cancelled: return nil
            }
        }
        let contactName = request.to.name?.trimmingCharacters(in: .whitespaces)
        return ReminderPhrasing(
            tone: request.tone,
            contactName: (contactName?.isEmpty ?? true) ? nil : contactName,
            invoices: request.invoices.map {
                ReminderPhrasing.InvoiceLine(
                    number: $0.number, amount: language.format($0.openAmount), dueOn: language.format($0.dueOn),
                    daysOverdue: $0.dueOn.days(until: today))
            },
            totals: DraftFacts.totals(request.invoices.map(\.openAmount)).map(language.format),
            accountReference: request.customer.accountReference,
            previousReminderOn: request.history.previousReminderOn.map(language.format),
            payBy: request.payBy.map(language.format),
            payment: request.history.recentPayment.map { (language.format($0.amount), language.format($0.receivedOn)) },
            promise: promise)
    }

    /// "Re: AW: Zahlungserinnerung" → "Zahlungserinnerung": the reply gets one "Re: " of its own.
    static func withoutReplyPrefixes(_ subject: String) -> String {
        var text = Substring(subject.trimmingCharacters(in: .whitespaces))
        let prefixes = ["re", "aw", "antw", "sv", "réf", "ref", "rif"]
        while let colon = text.firstIndex(of: ":") {
            var word = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            // "RE[2]:" and "Re(3):" count as replies too.
            if let bracket = word.firstIndex(where: { $0 == "[" || $0 == "(" }) { word = String(word[..<bracket]) }
            guard prefixes.contains(word) else { break }
            text = text[text.index(after: colon)...].drop { $0 == " " }
        }
        return String(text).trimmingCharacters(in: .whitespaces)
    }

    /// Models often end with a closing formula although the template adds its own.
    static func withoutClosing(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        let closings: Set<String> = [
            "kind regards", "best regards", "regards", "yours sincerely", "yours faithfully", "sincerely", "best wishes",
            "many thanks", "thank you", "freundliche grüße", "mit freundlichen grüßen", "viele grüße", "beste grüße",
            "cordialement", "bien cordialement", "sincères salutations", "meilleures salutations",
            "veuillez agréer nos salutations distinguées",
        ]
        for index in lines.indices.reversed().prefix(4) {
            let line = lines[index].trimmingCharacters(in: CharacterSet(charactersIn: " ,.!\t")).lowercased()
            if closings.contains(line) {
                lines.removeSubrange(index...)
                break
            }
        }
        return lines.joined(separator: "\n")
    }
}
