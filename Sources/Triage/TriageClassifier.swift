import Dunning
import Foundation
import Mail

/// Classifies inbound replies to payment reminders with rules: English, German and French;
/// dates relative to the message's day; amounts, invoice numbers and new contacts extracted.
///
/// Fast enough for thousands of messages a second: all phrases are compiled once, and each
/// reply is tokenized once.
public struct TriageClassifier: Sendable {
    public init() {}

    /// Classifies a parsed message. `sentAt` is the message's instant (its Date header, or when it
    /// was received); relative dates ("next Friday") are read from that day in the context's zone.
    public func classify(_ message: ParsedMessage, sentAt: Date, context: TriageContext = TriageContext()) -> TriageResult {
        let newText = message.newText.allSatisfy(\.isWhitespace) ? message.text : message.newText
        return classify(Reply(
            subject: message.subject ?? "", newText: newText, fullText: message.text, headers: message.headers,
            from: message.from, report: message.deliveryStatus
        ), sentAt: sentAt, context: context)
    }

    /// Classifies a reply given as plain text (quoted history is stripped first).
    public func classify(text: String, subject: String? = nil, sentAt: Date, context: TriageContext = TriageContext()) -> TriageResult {
        let newText = ReplyExtractor.split(text).newText
        return classify(Reply(
            subject: subject ?? "", newText: newText.isEmpty ? text : newText, fullText: text, headers: MailHeaders(),
            from: [], report: nil
        ), sentAt: sentAt, context: context)
    }

    struct Reply {
        let subject: String
        let newText: String
        let fullText: String
        let headers: MailHeaders
        let from: [MailAddress]
        let report: DeliveryStatusReport?
    }

    func classify(_ reply: Reply, sentAt: Date, context: TriageContext) -> TriageResult {
        let subject = TokenizedText(reply.subject)
        if let report = reply.report {
            if let finding = BounceReader.read(report) {
                return TriageResult(kind: .bounce, bounce: finding.type, confidence: 0.99, reasons: finding.reasons)
            }
            if !report.recipients.isEmpty {
                return TriageResult(kind: .other, confidence: 0.9, reasons: ["delivery status notification without a failure"])
            }
        }
        let body = TokenizedText(RuleText.prepare(reply.newText))
        let bounceSuspected = AutoReply.isMailDaemon(reply.from)
            || CueMatcher.hits(CueBook.bounce, in: subject.tokens).contains { $0.signal == .bounce }
        let bounceBody = bounceSuspected ? TokenizedText(reply.fullText) : body
        if let finding = BounceReader.read(subject: subject.tokens, body: bounceBody.tokens, from: reply.from) {
            return TriageResult(kind: .bounce, bounce: finding.type, confidence: bounceSuspected ? 0.93 : 0.8, reasons: finding.reasons)
        }

        let excluded = Set(reply.from.map(\.normalizedAddress) + context.ownAddresses.map { $0.lowercased() })
        return Decider(
            body: body,
            subject: subject,
            today: LocalDateTime(sentAt, in: context.timeZone).date,
            context: context,
            isAutomatic: AutoReply.isAutomatic(reply.headers),
            contacts: ContactFinder(excluded: excluded)
        ).decide()
    }
}
