import Dunning
import Foundation
import Logging
import Mail
import Triage

/// How a reply was classified, and by whom.
public struct ReplyClassification: Sendable {
    public enum Source: String, Sendable {
        case rules
        case languageModel = "llm"
    }

    public let result: TriageResult
    public let source: Source
    /// Why the model was not asked or not followed, when it was available.
    public let note: String?
}

/// Classifies replies with Triage's rules, and asks the language model (when there is one) only
/// when the rules are unsure. The model's answer is used only if it is well-formed and every date,
/// amount, invoice number and address in it is written in the reply; otherwise the rules' result
/// stands. It never throws.
public struct ReplyClassifier: Sendable {
    private let rules: TriageClassifier
    private let client: LLMClient?
    private let confidenceThreshold: Double
    private let logger: Logger

    public init(client: LLMClient?, confidenceThreshold: Double = 0.75, rules: TriageClassifier = TriageClassifier(), logger: Logger) {
        self.client = client
        self.confidenceThreshold = confidenceThreshold
        self.rules = rules
        self.logger = logger
    }

    public func classify(_ message: ParsedMessage, sentAt: Date, context: TriageContext) async -> ReplyClassification {
        let ruled = rules.classify(message, sentAt: sentAt, context: context)
        let text = message.newText.allSatisfy(\.isWhitespace) ? message.text : message.newText
        return await refine(ruled, text: text, subject: message.subject, sentAt: sentAt, context: context)
    }

    public func classify(text: String, subject: String? = nil, sentAt: Date, context: TriageContext) async -> ReplyClassification {
        let ruled = rules.classify(text: text, subject: subject, sentAt: sentAt, context: context)
        return await refine(ruled, text: text, subject: subject, sentAt: sentAt, context: context)
    }

    private func refine(_ ruled: TriageResult, text: String, subject: String?, sentAt: Date, context: TriageContext) async -> ReplyClassification {
        // A delivery status report is read exactly by the rules; a model adds nothing.
        guard let client, ruled.confidence < confidenceThreshold, ruled.kind != .bounce else {
            return ReplyClassification(result: ruled, source: .rules, note: nil)
        }
        let today = LocalDateTime(sentAt, in: context.timeZone).date
        do {
            let answer = try await client.complete(prompt(text: text, subject: subject, today: today, context: context), temperature: 0)
            let checked = try ModelAnswer.read(answer).validated(
                against: TextMentions(in: (subject.map { $0 + "\n" } ?? "") + text, today: today, context: context),
                context: context, rules: ruled)
            return ReplyClassification(result: checked, source: .languageModel, note: nil)
        } catch {
            logger.notice("language model classification not used; keeping the rules' result", metadata: ["reason": "\(error)"])
            return ReplyClassification(result: ruled, source: .rules, note: "\(error)")
        }
    }

    func prompt(text: String, subject: String?, today: CalendarDate, context: TriageContext) -> [ChatMessage] {
        let kinds = ReplyKind.allCases.map(\.rawValue).joined(separator: ", ")
        let invoices = context.openInvoiceNumbers.isEmpty ? "unknown" : context.openInvoiceNumbers.joined(separator: ", ")
        let system = """
            You classify replies to payment reminders. Answer with one JSON object and nothing else:
            {"kind": one of \(kinds),
             "promised_on": "YYYY-MM-DD" or null, "amount": "1234.50" or null, "currency": "EUR" or null,
             "return_on": "YYYY-MM-DD" or null, "new_contact": {"name": string or null, "email": string or null} or null,
             "bounce": "hard", "soft" or null, "invoices": [invoice numbers], "confidence": 0 to 1, "reason": "one sentence"}

            promise_to_pay: they will pay by a date (promised_on, and amount if they name one). dispute: they contest an \
            invoice. already_paid: they say it is paid. out_of_office: an absence notice (return_on). bounce: the mail \
            could not be delivered. contact_change: someone else handles this now (new_contact). unsubscribe: they ask \
            to stop. question: they ask something. other: anything else.
            Report only dates, amounts, invoice numbers and addresses that are written in the reply. The reply was \
            written on \(today) (\(today.weekday.rawValue)); read relative dates from that day.
            The customer's open invoices: \(invoices).
            """
        let user = (subject.map { "Subject: \($0)\n\n" } ?? "") + text
        return [ChatMessage(.system, system), ChatMessage(.user, user)]
    }
}

/// The model's JSON, before it is trusted.
struct ModelAnswer: Decodable {
    struct Contact: Decodable {
        let name: String?
        let email: String?
    }

    let kind: String
    let promisedOn: String?
    let amount: FlexibleDecimal?
    let currency: String?
    let returnOn: String?
    let newContact: Contact?
    let bounce: String?
    let invoices: [String]?
    let confidence: Double
    let reason: String?

    enum CodingKeys: String, CodingKey {
        case kind, amount, currency, bounce, invoices, confidence, reason
        case promisedOn = "promised_on", returnOn = "return_on", newContact = "new_contact"
    }

    /// Amounts as the model may write them: "1234.50" or 1234.5.
    struct FlexibleDecimal: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                text = "\(try container.decode(Decimal.self))"
            }
        }
    }

    /// Reads the first JSON object in the answer; models like to wrap it in a code fence.
    static func read(_ answer: String) throws(ModelAnswerError) -> ModelAnswer {
        guard let start = answer.firstIndex(of: "{"), let end = answer.lastIndex(of: "}"), start < end,
              let answer = try? JSONDecoder().decode(ModelAnswer.self, from: Data(answer[start...end].utf8))
        else { throw .notJSON }
        return answer
    }

    func validated(against mentions: TextMentions, context: TriageContext, rules: TriageResult) throws(ModelAnswerError) -> TriageResult {
        guard let kind = ReplyKind(rawValue: kind) else { throw .invalid("unknown kind \"\(self.kind)\"") }
        guard (0...1).contains(confidence) else { throw .invalid("confidence \(confidence) is outside 0…1") }

        func groundedDate(_ text: String?, _ field: String) throws(ModelAnswerError) -> CalendarDate? {
            guard let text else { return nil }
            guard let date = CalendarDate(text) else { throw .invalid("\(field) \"\(text)\" is not a date") }
            guard mentions.dates.contains(where: { $0.first <= date && date <= $0.last }) else {
                throw .ungrounded("\(field) \(date) is not written in the reply")
            }
            return date
        }
        let promisedOn = try groundedDate(promisedOn, "promised_on")
        let returnOn = try groundedDate(returnOn, "return_on")

        var money: Money?
        if let amount {
            guard let currency = currency.flatMap({ CurrencyCode(code: $0.uppercased()) }) ?? context.defaultCurrency else {
                throw .invalid("the amount has no currency")
            }
            guard let parsed = try? Money(parsing: amount.text, currency: currency) else {
                throw .invalid("amount \"\(amount.text)\" is not an amount in \(currency)")
            }
            guard mentions.amounts.contains(where: { $0.money == parsed }) else {
                throw .ungrounded("the amount \(parsed) is not written in the reply")
            }
            money = parsed
        }

        let written = mentions.invoiceNumbers.map(Self.normalized)
        for invoice in invoices ?? [] where !written.contains(Self.normalized(invoice)) {
            throw .ungrounded("invoice \(invoice) is not named in the reply")
        }
        var contact: NewContact?
        if let newContact, newContact.name != nil || newContact.email != nil {
            if let email = newContact.email, !mentions.emailAddresses.contains(email.lowercased()) {
                throw .ungrounded("the address \(email) is not written in the reply")
            }
            contact = NewContact(name: newContact.name, email: newContact.email?.lowercased())
        }
        var bounceType: BounceType?
        if let bounce {
            guard kind == .bounce, let type = BounceType(rawValue: bounce) else { throw .invalid("bounce \"\(bounce)\" with kind \(kind.rawValue)") }
            bounceType = type
        }

        let reasons = ["language model: \(reason ?? kind.rawValue)",
                       "rules: \(rules.kind.rawValue) at confidence \(rules.confidence)"]
        return TriageResult(
            kind: kind, promisedOn: promisedOn, amountMinorUnits: money?.minorUnits, currency: money?.currency,
            returnOn: returnOn, newContact: contact, bounce: bounceType,
            invoices: (invoices ?? []).map { invoice in
                context.openInvoiceNumbers.first { Self.normalized($0) == Self.normalized(invoice) } ?? invoice
            },
            confidence: confidence, reasons: reasons)
    }

    private static func normalized(_ invoice: String) -> String {
        invoice.lowercased().filter { !$0.isWhitespace }
    }
}

enum ModelAnswerError: Error, CustomStringConvertible {
    case notJSON
    case invalid(String)
    case ungrounded(String)

    var description: String {
        switch self {
        case .notJSON: "the language model's answer holds no readable JSON object"
        case .invalid(let reason): "the language model's answer is invalid: \(reason)"
        case .ungrounded(let reason): "the language model's answer does not match the reply: \(reason)"
        }
    }
}
