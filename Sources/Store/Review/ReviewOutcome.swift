import Dunning
import Foundation

/// What a review of one customer leaves behind: the stored level and next review, what was
/// dispatched (so the next decision does not repeat it), and the audit entry.
public struct ReviewOutcome: Sendable {
    public let key: CustomerKey
    public let escalationLevel: Int
    public let nextReviewAt: Date
    /// The stage of the reminder dispatched now, if one was.
    public let outreachStage: String?
    public let contactDiscoveryDispatched: Bool
    public let ownerNotificationDispatched: Bool
    /// The audit event's action, e.g. `review`.
    public let auditAction: String
    public let reasons: [String]
    /// The audit event's details: a JSON object's text.
    public let auditDetails: String

    public init(
        key: CustomerKey, escalationLevel: Int, nextReviewAt: Date, outreachStage: String?,
        contactDiscoveryDispatched: Bool, ownerNotificationDispatched: Bool, auditAction: String,
        reasons: [String], auditDetails: String
    ) {
        self.key = key
        self.escalationLevel = escalationLevel
        self.nextReviewAt = nextReviewAt
        self.outreachStage = outreachStage
        self.contactDiscoveryDispatched = contactDiscoveryDispatched
        self.ownerNotificationDispatched = ownerNotificationDispatched
        self.auditAction = auditAction
        self.reasons = reasons
        self.auditDetails = auditDetails
    }

    /// The outcome of a decision whose actions are all dispatched.
    public init(key: CustomerKey, decision: Decision, auditDetails: String) {
        var stage: String?
        var discovery = false
        var owner = false
        for action in decision.actions {
            switch action {
            case .outreach(let name, _, _, _): stage = name
            case .contactDiscovery: discovery = true
            case .notifyOwner: owner = true
            case .promiseVerification, .escalation: break
            }
        }
        self.init(key: key, escalationLevel: decision.escalationLevel, nextReviewAt: decision.nextReviewAt,
                  outreachStage: stage, contactDiscoveryDispatched: discovery, ownerNotificationDispatched: owner,
                  auditAction: "review", reasons: decision.reasons, auditDetails: auditDetails)
    }
}
