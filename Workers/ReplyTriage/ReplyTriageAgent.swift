import AgentKit
import Dunning
import Foundation
import Mail
import Queue
import Store
import Triage

/// `reply_triage`: reads an inbound message (a reply to a reminder, an auto-reply or a bounce) with
/// Triage's rules, and the optional language model where the rules are unsure, then acts on it: a
/// promise is recorded and outreach waits for its date, a dispute takes its invoices out of
/// collection, an absence pauses outreach until the return date, a bounce retires the address and
/// starts contact discovery, a new contact is applied or proposed, an opt-out is honoured, and a
/// question goes to a person. What it read and did commit in one transaction.
public struct ReplyTriageAgent: Agent {
    public static let kind = "reply_triage"
    public let environment: AgentEnvironment

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var messageID: Int64

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
        }
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let now = context.now
        let loaded = try await context.inTenant { tenant -> Loaded? in
            guard let inbound = try await tenant.inboundMessage(id: payload.messageID) else { return nil }
            var dossier: CustomerDossier?
            if let customerID = inbound.message.customerID {
                dossier = try await tenant.dossier(customerID: customerID, now: now)
            }
            let settings = try await tenant.settings()
            return Loaded(inbound: inbound, dossier: dossier, policy: try await tenant.dunningPolicy(),
                          ownAddresses: [settings.senderEmail, settings.replyToEmail, environment.operatorSender].compactMap { $0 })
        }
        guard let loaded else { throw GiveUp("message \(payload.messageID) is not an inbound message of this tenant") }
        // An earlier attempt committed its reading together with everything it did.
        guard loaded.inbound.message.status != "triaged" else { return }

        let reading = await read(loaded, context: context)
        try await context.inTenant { tenant in
            let effects = ReplyEffects(tenant: tenant, context: context, loaded: loaded, reading: reading, now: now)
            try await effects.apply()
        }
    }

    struct Loaded: Sendable {
        var inbound: InboundMessage
        var dossier: CustomerDossier?
        var policy: Policy
        var ownAddresses: [String]
    }

    /// What the message says, and what it is as mail (for a bounce, the report).
    struct Reading: Sendable {
        var result: TriageResult
        var source: ReplyClassification.Source
        var parsed: ParsedMessage?
        var newText: String
    }

    private func read(_ loaded: Loaded, context: AgentContext) async -> Reading {
        let message = loaded.inbound.message
        let dossier = loaded.dossier
        let triageContext = TriageContext(
            openInvoiceNumbers: dossier?.openInvoices.map(\.number) ?? [],
            defaultCurrency: dossier.flatMap { CurrencyCode(code: $0.customer.currency) },
            timeZone: dossier?.timeZone ?? .gmt,
            ownAddresses: loaded.ownAddresses)
        let classifier = ReplyClassifier(client: environment.languageModel, logger: context.logger)
        let parsed = loaded.inbound.raw.flatMap { try? ParsedMessage(parsing: $0) }
        let sentAt = parsed?.date ?? message.receivedAt ?? message.createdAt
        let classification: ReplyClassification
        let newText: String
        if let parsed {
            classification = await classifier.classify(parsed, sentAt: sentAt, context: triageContext)
            newText = parsed.newText.allSatisfy(\.isWhitespace) ? parsed.text : parsed.newText
        } else {
            classification = await classifier.classify(text: message.bodyText, subject: message.subject, sentAt: sentAt,
                                                       context: triageContext)
            newText = ReplyExtractor.split(message.bodyText).newText
        }
        return Reading(result: classification.result, source: classification.source, parsed: parsed,
                       newText: newText.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
