import Dunning
import Foundation
import Logging
import Mail

/// A reminder as it will be sent, and who wrote its body.
public struct DraftedReminder: Sendable {
    public enum Source: String, Sendable {
        case languageModel = "llm"
        case template
    }

    public let mail: OutgoingMail
    public let source: Source
    /// Why a model's draft was not used (unreachable, or which facts it got wrong), for the audit log.
    public let fallbackReasons: [String]

    public init(mail: OutgoingMail, source: Source, fallbackReasons: [String]) {
        self.mail = mail
        self.source = source
        self.fallbackReasons = fallbackReasons
    }
}

/// Lets a language model rewrite a reminder for its customer and history, and keeps the template
/// whenever the model fails or its text states anything but the facts. It never throws: a
/// reminder goes out either way.
public struct ReminderDrafter: Sendable {
    private let client: LLMClient
    private let composer: ReminderComposer
    private let logger: Logger

    public init(client: LLMClient, composer: ReminderComposer = ReminderComposer(), logger: Logger) {
        self.client = client
        self.composer = composer
        self.logger = logger
    }

    public func draft(_ request: ReminderRequest) async -> DraftedReminder {
        let template = composer.compose(request)
        let answer: String
        do {
            answer = try await client.complete(prompt(request), temperature: 0.3)
        } catch {
            return fallback(template, reasons: ["\(error)"], request)
        }
        let body = ReminderComposer.withoutClosing(answer).trimmingCharacters(in: .whitespacesAndNewlines)
        let verdict = FactGuardrail(facts: template.facts).check(body)
        guard verdict.isAccepted else { return fallback(template, reasons: verdict.problems, request) }
        return DraftedReminder(mail: composer.compose(request, draftedBody: body), source: .languageModel, fallbackReasons: [])
    }

    private func fallback(_ template: ComposedReminder, reasons: [String], _ request: ReminderRequest) -> DraftedReminder {
        logger.notice("language model draft not used; sending the template", metadata: [
            "task": "\(request.taskID)", "step": "\(request.step)", "reasons": "\(reasons.joined(separator: "; "))",
        ])
        return DraftedReminder(mail: template.mail, source: .template, fallbackReasons: reasons)
    }

    func prompt(_ request: ReminderRequest) -> [ChatMessage] {
        let language = request.customer.language
        let wording = language.wording
        let phrasing = ReminderComposer.phrasing(request, wording)
        var facts = ["Today: \(language.format(request.today))", "Invoices (name every one):"]
        facts += phrasing.invoices.map { "- \($0.number): \($0.amount), due \($0.dueOn), \(wording.standing(daysOverdue: $0.daysOverdue))" }
        if !phrasing.isSingle { facts.append(wording.total(phrasing.totals)) }
        if let reference = phrasing.accountReference { facts.append(wording.accountReference(reference)) }
        if let payment = phrasing.payment {
            facts.append("Payment received: \(payment.amount) on \(payment.receivedOn) (the open amounts already reflect it)")
        }
        switch phrasing.promise {
        case .kept(let date)?: facts.append("The customer kept their promise to pay by \(date).")
        case .broken(let amount, let date)?: facts.append("The customer promised to pay \(amount.map { $0 + " " } ?? "")by \(date); the payment has not arrived.")
        case .active(let amount, let date)?: facts.append("The customer has promised to pay \(amount.map { $0 + " " } ?? "")by \(date).")
        case nil: break
        }
        if let earlier = phrasing.previousReminderOn { facts.append("Our previous reminder was sent on \(earlier).") }
        if let payBy = phrasing.payBy { facts.append("Ask for payment by: \(payBy)") }
        facts.append("Replies go to: \((request.sender.replyTo ?? request.sender.address).address)")

        let recipient = phrasing.contactName.map { "\($0) at \(request.customer.name)" } ?? "the accounts payable team of \(request.customer.name)"
        let system = """
            You write payment reminder emails for the accounts receivable team of \(request.sender.companyName), \
            to \(recipient). Write in \(language.englishName). Tone: \(Self.guidance(request.tone)).

            Rules:
            - Use only the facts below. Never invent or change an amount, date, invoice number, deadline, fee, \
            interest, link, phone number or e-mail address.
            - Write every amount and date exactly as the facts write them.
            - Name every invoice listed, with its amount, due date and how overdue it is.
            - Begin with the greeting. Write no subject line, closing formula, signature or payment details: \
            they are added after your text.
            - Plain text only, no Markdown; start list items with "- ".
            - Be polite, clear and specific. No marketing, no threats, no legal claims.

            Facts:
            \(facts.joined(separator: "\n"))
            """
        let user = """
            This is our standard reminder for the situation. Rewrite it so that it reads naturally for this \
            customer and their history, keeping every fact:

            \(composer.templateBody(request))
            """
        return [ChatMessage(.system, system), ChatMessage(.user, user)]
    }

    private static func guidance(_ tone: Tone) -> String {
        switch tone {
        case .friendly: "friendly and helpful; assume the payment was simply overlooked"
        case .firm: "firm and matter-of-fact; ask clearly for payment or for a payment date"
        case .urgent: "urgent but courteous; say plainly that the matter will be taken further under the terms of payment if nothing happens, without threats"
        case .formal: "formal and precise, like a formal notice; reserve further steps under the terms of payment, without threats"
        }
    }
}
