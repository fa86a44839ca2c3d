import Foundation

public enum ActionKind: String, CaseIterable, Hashable, Sendable, Codable {
    case outreach
    case contactDiscovery = "contact_discovery"
    case promiseVerification = "promise_verification"
    case escalation
    case notifyOwner = "notify_owner"

    /// The dedupe key of the task that carries out this action: while one waits, the same work for
    /// the customer is not queued again, whoever asks (the scheduler, or an agent following up).
    /// `qualifier` narrows it (one per promise, one per level).
    public func dedupeKey(customerID: Int64, qualifier: String? = nil) -> String {
        qualifier.map { "\(rawValue):\(customerID):\($0)" } ?? "\(rawValue):\(customerID)"
    }
}

/// One thing the scheduler should enqueue for the customer.
public enum Action: Hashable, Sendable {
    /// A reminder covering `invoices`; consumers' messages must carry an opt-out line.
    case outreach(stage: String, tone: Tone, invoices: [String], optOutLineRequired: Bool)
    /// Find a better address before (or besides) writing again.
    case contactDiscovery(invoices: [String])
    /// The promised date and its grace have passed: check the payments.
    case promiseVerification(invoices: [String])
    /// Raise the customer's escalation level to `level`.
    case escalation(level: Int, invoices: [String])
    /// Tell the account owner, with the context of `invoices`.
    case notifyOwner(invoices: [String])

    public var kind: ActionKind {
        switch self {
        case .outreach: .outreach
        case .contactDiscovery: .contactDiscovery
        case .promiseVerification: .promiseVerification
        case .escalation: .escalation
        case .notifyOwner: .notifyOwner
        }
    }

    public var invoices: [String] {
        switch self {
        case .outreach(_, _, let invoices, _), .contactDiscovery(let invoices), .promiseVerification(let invoices),
             .escalation(_, let invoices), .notifyOwner(let invoices):
            invoices
        }
    }
}

/// JSON: `{"kind": …, "stage": …, "tone": …, "invoices": […]}` for every kind, `stage` and `tone` null
/// where they do not apply; escalation adds `"level"`, outreach adds `"opt_out_line_required"`.
extension Action: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, stage, tone, invoices, level
        case optOutLineRequired = "opt_out_line_required"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .outreach(let stage, let tone, _, let optOutLineRequired):
            try container.encode(stage, forKey: .stage)
            try container.encode(tone, forKey: .tone)
            try container.encode(invoices, forKey: .invoices)
            try container.encode(optOutLineRequired, forKey: .optOutLineRequired)
        case .escalation(let level, _):
            try container.encodeNil(forKey: .stage)
            try container.encodeNil(forKey: .tone)
            try container.encode(invoices, forKey: .invoices)
            try container.encode(level, forKey: .level)
        case .contactDiscovery, .promiseVerification, .notifyOwner:
            try container.encodeNil(forKey: .stage)
            try container.encodeNil(forKey: .tone)
            try container.encode(invoices, forKey: .invoices)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let invoices = try container.decode([String].self, forKey: .invoices)
        switch try container.decode(ActionKind.self, forKey: .kind) {
        case .outreach:
            self = .outreach(
                stage: try container.decode(String.self, forKey: .stage),
                tone: try container.decode(Tone.self, forKey: .tone),
                invoices: invoices,
                optOutLineRequired: try container.decodeIfPresent(Bool.self, forKey: .optOutLineRequired) ?? false)
        case .contactDiscovery:
            self = .contactDiscovery(invoices: invoices)
        case .promiseVerification:
            self = .promiseVerification(invoices: invoices)
        case .escalation:
            self = .escalation(level: try container.decode(Int.self, forKey: .level), invoices: invoices)
        case .notifyOwner:
            self = .notifyOwner(invoices: invoices)
        }
    }
}

/// What to do about one customer now, when to look again, and why, in plain words for the audit log.
public struct Decision: Hashable, Sendable {
    public let customer: String
    /// The level the customer should be stored at; an `escalation` action is present when it rose.
    public let escalationLevel: Int
    /// Outreach first, then contact discovery, promise verification, escalation, owner notification.
    public let actions: [Action]
    /// The start of the customer's next send window on or after the review date.
    public let nextReviewAt: Date
    /// `nextReviewAt` as a date in the customer's time zone.
    public let nextReviewOn: CalendarDate
    public let reasons: [String]

    public init(customer: String, escalationLevel: Int, actions: [Action], nextReviewAt: Date,
                nextReviewOn: CalendarDate, reasons: [String]) {
        self.customer = customer
        self.escalationLevel = escalationLevel
        self.actions = actions
        self.nextReviewAt = nextReviewAt
        self.nextReviewOn = nextReviewOn
        self.reasons = reasons
    }
}

/// JSON: `customer`, `escalation_level`, `actions`, `next_review_on`,
/// `reasons`, plus `next_review_at` (UTC, `2025-03-17T08:00:00Z`).
extension Decision: Codable {
    private enum CodingKeys: String, CodingKey {
        case customer
        case escalationLevel = "escalation_level"
        case actions
        case nextReviewOn = "next_review_on"
        case nextReviewAt = "next_review_at"
        case reasons
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customer, forKey: .customer)
        try container.encode(escalationLevel, forKey: .escalationLevel)
        try container.encode(actions, forKey: .actions)
        try container.encode(nextReviewOn, forKey: .nextReviewOn)
        try container.encode(InstantText.format(nextReviewAt), forKey: .nextReviewAt)
        try container.encode(reasons, forKey: .reasons)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let instantText = try container.decode(String.self, forKey: .nextReviewAt)
        guard let nextReviewAt = InstantText.parse(instantText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .nextReviewAt, in: container,
                debugDescription: "\"\(instantText)\" is not a UTC instant like 2025-03-17T08:00:00Z")
        }
        self.init(
            customer: try container.decode(String.self, forKey: .customer),
            escalationLevel: try container.decode(Int.self, forKey: .escalationLevel),
            actions: try container.decode([Action].self, forKey: .actions),
            nextReviewAt: nextReviewAt,
            nextReviewOn: try container.decode(CalendarDate.self, forKey: .nextReviewOn),
            reasons: try container.decode([String].self, forKey: .reasons))
    }
}
