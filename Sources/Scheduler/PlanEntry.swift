import Dunning
import Foundation

/// One customer's line of `arrears plan`: the decision in exactly the keys finance teams script
/// against — `customer`, `escalation_level`, `actions` (`kind`, `stage`, `tone`, `invoices`),
/// `next_review_on`, `reasons` — or as readable text.
public struct PlanEntry: Encodable, Sendable {
    public let decision: Decision

    public init(_ decision: Decision) {
        self.decision = decision
    }

    private enum Keys: String, CodingKey {
        case customer
        case escalationLevel = "escalation_level"
        case actions
        case nextReviewOn = "next_review_on"
        case reasons
    }

    private enum ActionKeys: String, CodingKey {
        case kind, stage, tone, invoices
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(decision.customer, forKey: .customer)
        try container.encode(decision.escalationLevel, forKey: .escalationLevel)
        var actions = container.nestedUnkeyedContainer(forKey: .actions)
        for action in decision.actions {
            var object = actions.nestedContainer(keyedBy: ActionKeys.self)
            try object.encode(action.kind, forKey: .kind)
            if case .outreach(let stage, let tone, _, _) = action {
                try object.encode(stage, forKey: .stage)
                try object.encode(tone, forKey: .tone)
            } else {
                try object.encodeNil(forKey: .stage)
                try object.encodeNil(forKey: .tone)
            }
            try object.encode(action.invoices, forKey: .invoices)
        }
        try container.encode(decision.nextReviewOn, forKey: .nextReviewOn)
        try container.encode(decision.reasons, forKey: .reasons)
    }

    /// One JSON object, keys sorted, on one line.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// ```
    /// C-1 · escalation level 1 · next review 2025-03-19
    ///   outreach at stage firm (firm tone): INV-2, INV-3
    ///   escalation: INV-2
    ///   why: 2 invoices overdue totalling EUR 1,000.00, oldest 20 days
    /// ```
    public var text: String {
        var lines = ["\(decision.customer) · escalation level \(decision.escalationLevel) · next review \(decision.nextReviewOn)"]
        if decision.actions.isEmpty { lines.append("  no action") }
        for action in decision.actions {
            let invoices = action.invoices.isEmpty ? "" : ": " + action.invoices.joined(separator: ", ")
            switch action {
            case .outreach(let stage, let tone, _, let optOut):
                lines.append("  outreach at stage \(stage) (\(tone.rawValue) tone\(optOut ? ", with an opt-out line" : ""))\(invoices)")
            case .escalation(let level, _):
                lines.append("  escalation to level \(level)\(invoices)")
            case .contactDiscovery:
                lines.append("  contact discovery\(invoices)")
            case .promiseVerification:
                lines.append("  promise verification\(invoices)")
            case .notifyOwner:
                lines.append("  notify the account owner\(invoices)")
            }
        }
        lines += decision.reasons.map { "  why: " + $0 }
        return lines.joined(separator: "\n")
    }
}
