import Foundation

/// A tenant's collection rules. JSON (snake_case keys) is read and written by the admin API; a document
/// may leave out any key to keep its default, and unknown keys or invalid values are reported together.
public struct Policy: Hashable, Sendable, Codable {
    /// Ordered by `fromDays`, strictly increasing.
    public var stages: [Stage]
    public var minDaysBetweenReminders: Int
    public var smallBalance: SmallBalanceRules
    public var goodHistory: GoodHistoryRule
    public var escalation: EscalationRules
    public var ownerInvolvement: OwnerInvolvementRules
    /// Reminders go out only inside this local window, on business days that are not holidays.
    public var sendWindow: TimeWindow
    public var businessDays: Set<Weekday>
    /// Local dates on which nothing is sent.
    public var holidays: Set<CalendarDate>
    public var consumerMode: ConsumerMode
    public var doNotContact: DoNotContactRules
    /// Days after a promised date before checking whether the money arrived.
    public var promiseGraceDays: Int
    public var contactDiscovery: ContactDiscoveryRules
    public var replies: ReplyRules
    /// A customer with anything open is looked at again at least this often.
    public var reviewIntervalDays: Int

    public init(
        stages: [Stage],
        minDaysBetweenReminders: Int,
        smallBalance: SmallBalanceRules,
        goodHistory: GoodHistoryRule,
        escalation: EscalationRules,
        ownerInvolvement: OwnerInvolvementRules,
        sendWindow: TimeWindow,
        businessDays: Set<Weekday>,
        holidays: Set<CalendarDate>,
        consumerMode: ConsumerMode,
        doNotContact: DoNotContactRules,
        promiseGraceDays: Int,
        contactDiscovery: ContactDiscoveryRules,
        replies: ReplyRules = ReplyRules(),
        reviewIntervalDays: Int
    ) {
        self.stages = stages
        self.minDaysBetweenReminders = minDaysBetweenReminders
        self.smallBalance = smallBalance
        self.goodHistory = goodHistory
        self.escalation = escalation
        self.ownerInvolvement = ownerInvolvement
        self.sendWindow = sendWindow
        self.businessDays = businessDays
        self.holidays = holidays
        self.consumerMode = consumerMode
        self.doNotContact = doNotContact
        self.promiseGraceDays = promiseGraceDays
        self.contactDiscovery = contactDiscovery
        self.replies = replies
        self.reviewIntervalDays = reviewIntervalDays
    }

    /// The defaults: a friendly reminder three days before the due date, firm from 14 days overdue,
    /// final from 30, escalation notice from 45; weekdays 09:00–17:00 in the customer's zone.
    public static let standard = Policy(
        stages: [
            Stage(name: "reminder", fromDays: -3, tone: .friendly, repeatDays: 7),
            Stage(name: "firm", fromDays: 14, tone: .firm, repeatDays: 7),
            Stage(name: "final", fromDays: 30, tone: .urgent, repeatDays: 7),
            Stage(name: "escalate", fromDays: 45, tone: .formal, repeatDays: 14),
        ],
        minDaysBetweenReminders: 5,
        smallBalance: SmallBalanceRules(
            tolerance: amounts(eur: 50_00, usd: 50_00, gbp: 50_00),
            goodHistoryFactor: 3,
            reminderIntervalDays: 30),
        goodHistory: GoodHistoryRule(minOnTimeRatio: 0.9, minPaidInvoices: 3),
        escalation: EscalationRules(
            levels: [
                EscalationLevel(totalOverdue: amounts(eur: 5_000_00, usd: 5_000_00, gbp: 5_000_00),
                                overdueInvoices: 10, oldestDaysOverdue: 60),
                EscalationLevel(totalOverdue: amounts(eur: 20_000_00, usd: 20_000_00, gbp: 20_000_00),
                                overdueInvoices: 20, oldestDaysOverdue: 90),
            ],
            brokenPromiseRaisesLevel: true,
            brokenPromiseMemoryDays: 90),
        ownerInvolvement: OwnerInvolvementRules(
            highValueTotal: amounts(eur: 25_000_00, usd: 25_000_00, gbp: 25_000_00),
            keyAccountTotal: amounts(eur: 10_000_00, usd: 10_000_00, gbp: 10_000_00),
            keyAccountBeforeStage: "final",
            keyAccountLeadDays: 3,
            onBrokenPromise: true,
            onWorseningTrend: true,
            renotifyDays: 14),
        sendWindow: TimeWindow(start: TimeOfDay(hour: 9, minute: 0)!, end: TimeOfDay(hour: 17, minute: 0)!),
        businessDays: [.monday, .tuesday, .wednesday, .thursday, .friday],
        holidays: [],
        consumerMode: ConsumerMode(enabled: false),
        doNotContact: DoNotContactRules(),
        promiseGraceDays: 2,
        contactDiscovery: ContactDiscoveryRules(afterSilentReminders: 3, retryDays: 7),
        reviewIntervalDays: 7)

    private static func amounts(eur: Int64, usd: Int64, gbp: Int64) -> CurrencyAmounts {
        CurrencyAmounts([
            Money(minorUnits: eur, currency: "EUR"),
            Money(minorUnits: usd, currency: "USD"),
            Money(minorUnits: gbp, currency: "GBP"),
        ])
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case stages
        case minDaysBetweenReminders = "min_days_between_reminders"
        case smallBalance = "small_balance"
        case goodHistory = "good_history"
        case escalation
        case ownerInvolvement = "owner_involvement"
        case sendWindow = "send_window"
        case businessDays = "business_days"
        case holidays
        case consumerMode = "consumer_mode"
        case doNotContact = "do_not_contact"
        case promiseGraceDays = "promise_grace_days"
        case contactDiscovery = "contact_discovery"
        case replies
        case reviewIntervalDays = "review_interval_days"
    }

    /// Throws `PolicyValidationError` listing every problem: first wrong keys and types; when there are
    /// none, every value out of range or inconsistent with another (checking values that could not be
    /// read would only report the defaults standing in for them).
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        let path = JSONPath(decoder.codingPath)
        var problems = ProblemList()
        let policy = Self.read(json, at: path, current: .standard, problems: &problems)
        if problems.isEmpty, let policy { policy.validate(at: path, problems: &problems) }
        guard let policy, problems.isEmpty else { throw PolicyValidationError(problems: problems.problems) }
        self = policy
    }

    /// Reads a policy document; malformed JSON is reported as a problem at `$` like any other.
    public static func decode(json: Data) throws(PolicyValidationError) -> Policy {
        do {
            return try JSONDecoder().decode(Policy.self, from: json)
        } catch let error as PolicyValidationError {
            throw error
        } catch {
            throw PolicyValidationError(problems: [PolicyProblem(path: "$", message: "not valid JSON")])
        }
    }

    /// Sets are written sorted, so the same policy always prints the same.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stages, forKey: .stages)
        try container.encode(minDaysBetweenReminders, forKey: .minDaysBetweenReminders)
        try container.encode(smallBalance, forKey: .smallBalance)
        try container.encode(goodHistory, forKey: .goodHistory)
        try container.encode(escalation, forKey: .escalation)
        try container.encode(ownerInvolvement, forKey: .ownerInvolvement)
        try container.encode(sendWindow, forKey: .sendWindow)
        try container.encode(businessDays.sorted(), forKey: .businessDays)
        try container.encode(holidays.sorted(), forKey: .holidays)
        try container.encode(consumerMode, forKey: .consumerMode)
        try container.encode(doNotContact, forKey: .doNotContact)
        try container.encode(promiseGraceDays, forKey: .promiseGraceDays)
        try container.encode(contactDiscovery, forKey: .contactDiscovery)
        try container.encode(replies, forKey: .replies)
        try container.encode(reviewIntervalDays, forKey: .reviewIntervalDays)
    }
}
