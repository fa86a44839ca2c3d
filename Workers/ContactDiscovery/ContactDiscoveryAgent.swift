import AgentKit
import Dunning
import Foundation
import Queue
import Store
import Triage

/// `contact_discovery`: after a hard bounce or a run of unanswered reminders, looks for someone who
/// will read them (see `ContactCandidates` for where), then makes the best one the primary contact,
/// or proposes it for a person to approve when the policy says so (`contact_discovery.auto_apply`;
/// nothing is sent to it until then), and records why. The new contact puts the customer up for
/// review, so outreach follows.
public struct ContactDiscoveryAgent: Agent {
    public static let kind = "contact_discovery"
    public let environment: AgentEnvironment

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var reasons: [String]?
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let customerID = try context.customerID()
        let now = context.now
        let (dossier, readings, policy, settings) = try await context.inTenant { tenant in
            guard let dossier = try await tenant.dossier(customerID: customerID, now: now) else {
                throw GiveUp("the customer no longer exists")
            }
            let readings = try await tenant.inboundReadings(customerID: customerID, limit: 50).map { message, triage in
                ContactCandidates.Reading(message: message, result: triage.flatMap(Self.decode))
            }
            return (dossier, readings, try await tenant.dunningPolicy(), try await tenant.settings())
        }

        var searched = ["replies and auto-replies", "the customer's other contacts", "senders and signatures"]
        var crm: [CRMLookup.Answer.Person] = []
        if let url = settings.crmLookupURL {
            switch await CRMLookup(url: url, environment: environment).contacts(
                customerReference: dossier.customer.externalRef, customerName: dossier.customer.name) {
            case .success(let people):
                crm = people
                searched.append("the CRM")
            case .failure(let failure):
                searched.append("the CRM (\(failure))")
            }
        }
        let own = Set([settings.senderEmail, settings.replyToEmail, environment.operatorSender].compactMap { $0?.lowercased() })
        let ranked = ContactCandidates.ranked(dossier, readings: readings, crm: crm, excluded: own,
                                              blockedDomains: policy.doNotContact.domains, today: dossier.today(at: now))
        let reasons = payload.reasons ?? []

        try await context.inTenant { tenant in
            let suppressed = try await tenant.suppressedAddresses(ranked.map(\.email))
            guard let best = ranked.first(where: { !suppressed.contains($0.email.lowercased()) }) else {
                try await tenant.audit(action: "contact_not_found", customerID: customerID,
                                       reasons: reasons + ["no better contact found; searched \(searched.joined(separator: ", "))"],
                                       taskID: context.task.id, at: now)
                return
            }
            let apply = policy.contactDiscovery.autoApply
            let (contact, _) = try await tenant.adoptDiscoveredContact(
                customerID: customerID, email: best.email, name: best.name, role: best.role, apply: apply)
            try await tenant.audit(
                action: apply ? "contact_discovered" : "contact_proposed", customerID: customerID,
                reasons: reasons + [apply ? "writing to \(contact.email) from now on: \(best.why)"
                                          : "proposed \(contact.email) for approval: \(best.why)"],
                details: ["contact_id": String(contact.id), "email": contact.email],
                taskID: context.task.id, at: now)
        }
    }

    private static func decode(_ json: String) -> TriageResult? {
        try? JSONDecoder().decode(TriageResult.self, from: Data(json.utf8))
    }
}
