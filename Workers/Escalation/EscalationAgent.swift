import AgentKit
import Dunning
import Foundation
import Queue
import Store

/// `escalation`: the customer's level rose (from its total exposure and behaviour — the scheduler
/// decided and stored it). Records the escalation, hands the customer to its account owner when the
/// level reaches the policy's `escalation.pause_outreach_from_level` (automated outreach then waits
/// `pause_outreach_days`), and tells the owner by mail or webhook with what they need to act. Each
/// step is done once per task, however often the task is retried.
public struct EscalationAgent: Agent {
    public static let kind = "escalation"
    public let environment: AgentEnvironment

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var level: Int
        var previousLevel: Int?
        var reasons: [String]?

        enum CodingKeys: String, CodingKey {
            case level, reasons
            case previousLevel = "previous_level"
        }
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let customerID = try context.customerID()
        let now = context.now
        let reasons = payload.reasons ?? []
        let (dossier, escalation, paused) = try await context.inTenant { tenant in
            guard let dossier = try await tenant.dossier(customerID: customerID, now: now) else {
                throw GiveUp("the customer no longer exists")
            }
            let policy = try await tenant.dunningPolicy()
            let from = policy.escalation.pauseOutreachFromLevel
            let paused = from > 0 && payload.level >= from
            let (escalation, created) = try await tenant.recordEscalation(
                customerID: customerID, fromLevel: payload.previousLevel ?? 0, level: payload.level, reasons: reasons,
                ownerEmail: dossier.customer.accountOwnerEmail, taskID: context.task.id, at: now)
            // An earlier attempt committed the record with the pause and the audit: a retry neither
            // audits again nor moves the pause on from a later day.
            guard created else { return (dossier, escalation, paused) }
            var said = ["escalated from level \(payload.previousLevel ?? 0) to \(payload.level)"]
            if paused {
                let until = dossier.today(at: now).adding(days: policy.escalation.pauseOutreachDays)
                try await tenant.setOwnerHandling(customerID: customerID, until: until)
                said.append("the account owner handles the customer; automated outreach waits until \(until)")
            }
            try await tenant.audit(action: "escalated", customerID: customerID, reasons: said + reasons,
                                   details: ["escalation_id": String(escalation.id), "level": String(payload.level)],
                                   taskID: context.task.id, at: now)
            return (dossier, escalation, paused)
        }

        let delivered = try await OwnerNotifier(context: context, environment: environment)
            .notify(dossier, reasons: reasons, outreachPaused: paused, now: now)
        try await context.inTenant { tenant in
            // Once per task too: the audit event is the one trace this step always leaves.
            guard try await !tenant.taskAudited(["owner_notified", "owner_not_notified"], customerID: customerID,
                                                 taskID: context.task.id)
            else { return }
            for channel in delivered.channels {
                try await tenant.markEscalationNotified(id: escalation.id, via: channel, at: now)
            }
            try await tenant.audit(
                action: delivered.channels.isEmpty ? "owner_not_notified" : "owner_notified", customerID: customerID,
                reasons: delivered.channels.map { "told the account owner of the escalation by \($0.rawValue)" } + delivered.reasons,
                details: ["escalation_id": String(escalation.id)], taskID: context.task.id, at: now)
        }
    }
}
