import AgentKit
import Dunning
import Foundation
import Queue
import Store

/// `notify_owner`: tells the account owner of a high-value or at-risk customer — a broken promise,
/// a key account nearing its final stage, a worsening payment pattern, a question only a person can
/// answer — with the same summary an escalation sends. An owner told within the last hours (by an
/// escalation of the same review, say) is not told again.
public struct OwnerNoticeAgent: Agent {
    public static let kind = "notify_owner"
    public let environment: AgentEnvironment
    /// Notices closer together than this are one conversation with the owner.
    static let quietPeriod: TimeInterval = 6 * 3600

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var reasons: [String]?
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let customerID = try context.customerID()
        let now = context.now
        let reasons = payload.reasons ?? []
        let (dossier, lastNotice) = try await context.inTenant { tenant in
            guard let dossier = try await tenant.dossier(customerID: customerID, now: now) else {
                throw GiveUp("the customer no longer exists")
            }
            return (dossier, try await tenant.lastOwnerNotice(customerID: customerID))
        }
        if let lastNotice, now.timeIntervalSince(lastNotice) < Self.quietPeriod, lastNotice <= now {
            try await context.inTenant { tenant in
                try await tenant.audit(action: "owner_already_notified", customerID: customerID,
                                       reasons: ["the account owner was told at \(InstantText.format(lastNotice))"] + reasons,
                                       taskID: context.task.id, at: now)
            }
            return
        }
        let paused = dossier.customer.pausedUntil.map { $0 > dossier.today(at: now) } ?? false
        let delivered = try await OwnerNotifier(context: context, environment: environment)
            .notify(dossier, reasons: reasons, outreachPaused: paused, now: now)
        try await context.inTenant { tenant in
            try await tenant.audit(
                action: delivered.channels.isEmpty ? "owner_not_notified" : "owner_notified", customerID: customerID,
                reasons: delivered.channels.map { "told the account owner by \($0.rawValue)" } + reasons + delivered.reasons,
                taskID: context.task.id, at: now)
        }
    }
}
