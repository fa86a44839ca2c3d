import Foundation

/// Small overdue balances get a gentle reminder at most: no firmer stages, no escalation, no owner.
public struct SmallBalanceRules: Hashable, Sendable, Codable {
    /// Per currency; a currency without an entry has no tolerance.
    public var tolerance: CurrencyAmounts
    /// Customers with a good payment history are tolerated this many times the amount.
    public var goodHistoryFactor: Int
    /// Days between gentle reminders for a tolerated balance.
    public var reminderIntervalDays: Int

    public init(tolerance: CurrencyAmounts, goodHistoryFactor: Int, reminderIntervalDays: Int) {
        self.tolerance = tolerance
        self.goodHistoryFactor = goodHistoryFactor
        self.reminderIntervalDays = reminderIntervalDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tolerance
        case goodHistoryFactor = "good_history_factor"
        case reminderIntervalDays = "reminder_interval_days"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.smallBalance)
    }
}

/// What counts as a good payer over the last 12 months.
public struct GoodHistoryRule: Hashable, Sendable, Codable {
    public var minOnTimeRatio: Double
    public var minPaidInvoices: Int

    public init(minOnTimeRatio: Double, minPaidInvoices: Int) {
        self.minOnTimeRatio = minOnTimeRatio
        self.minPaidInvoices = minPaidInvoices
    }

    public func isMet(by history: PaymentHistory) -> Bool {
        history.paidCount >= minPaidInvoices && (history.onTimeRatio ?? 0) >= minOnTimeRatio
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minOnTimeRatio = "min_on_time_ratio"
        case minPaidInvoices = "min_paid_invoices"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.goodHistory)
    }
}

/// The thresholds of one escalation level; meeting any one of them reaches the level.
public struct EscalationLevel: Hashable, Sendable, Codable {
    /// Compared with the overdue total in each currency separately; there is no conversion.
    public var totalOverdue: CurrencyAmounts
    public var overdueInvoices: Int?
    public var oldestDaysOverdue: Int?

    public init(totalOverdue: CurrencyAmounts = CurrencyAmounts(), overdueInvoices: Int? = nil, oldestDaysOverdue: Int? = nil) {
        self.totalOverdue = totalOverdue
        self.overdueInvoices = overdueInvoices
        self.oldestDaysOverdue = oldestDaysOverdue
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case totalOverdue = "total_overdue"
        case overdueInvoices = "overdue_invoices"
        case oldestDaysOverdue = "oldest_days_overdue"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: nil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(totalOverdue, forKey: .totalOverdue)
        try container.encode(overdueInvoices, forKey: .overdueInvoices)
        try container.encode(oldestDaysOverdue, forKey: .oldestDaysOverdue)
    }
}

/// Escalation levels 1...n, from exposure, and from behaviour through broken promises.
public struct EscalationRules: Hashable, Sendable, Codable {
    /// `levels[0]` defines level 1.
    public var levels: [EscalationLevel]
    public var brokenPromiseRaisesLevel: Bool
    /// How long a broken promise keeps counting against the customer.
    public var brokenPromiseMemoryDays: Int
    /// From this level on, the account owner takes the customer over and automated outreach pauses
    /// for `pauseOutreachDays`; 0 never pauses.
    public var pauseOutreachFromLevel: Int
    public var pauseOutreachDays: Int

    public init(levels: [EscalationLevel], brokenPromiseRaisesLevel: Bool, brokenPromiseMemoryDays: Int,
                pauseOutreachFromLevel: Int = 2, pauseOutreachDays: Int = 14) {
        self.levels = levels
        self.brokenPromiseRaisesLevel = brokenPromiseRaisesLevel
        self.brokenPromiseMemoryDays = brokenPromiseMemoryDays
        self.pauseOutreachFromLevel = pauseOutreachFromLevel
        self.pauseOutreachDays = pauseOutreachDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case levels
        case brokenPromiseRaisesLevel = "broken_promise_raises_level"
        case brokenPromiseMemoryDays = "broken_promise_memory_days"
        case pauseOutreachFromLevel = "pause_outreach_from_level"
        case pauseOutreachDays = "pause_outreach_days"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.escalation)
    }
}

/// When the customer's account owner hears about it.
public struct OwnerInvolvementRules: Hashable, Sendable, Codable {
    /// Any customer with this much overdue in a currency.
    public var highValueTotal: CurrencyAmounts
    /// Key accounts, at a lower amount.
    public var keyAccountTotal: CurrencyAmounts
    /// Key accounts never reach this stage before their owner was told; nil turns the rule off.
    public var keyAccountBeforeStage: String?
    /// Days the owner gets before that stage goes out.
    public var keyAccountLeadDays: Int
    public var onBrokenPromise: Bool
    public var onWorseningTrend: Bool
    /// The owner is not told again sooner than this.
    public var renotifyDays: Int

    public init(
        highValueTotal: CurrencyAmounts,
        keyAccountTotal: CurrencyAmounts,
        keyAccountBeforeStage: String?,
        keyAccountLeadDays: Int,
        onBrokenPromise: Bool,
        onWorseningTrend: Bool,
        renotifyDays: Int
    ) {
        self.highValueTotal = highValueTotal
        self.keyAccountTotal = keyAccountTotal
        self.keyAccountBeforeStage = keyAccountBeforeStage
        self.keyAccountLeadDays = keyAccountLeadDays
        self.onBrokenPromise = onBrokenPromise
        self.onWorseningTrend = onWorseningTrend
        self.renotifyDays = renotifyDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case highValueTotal = "high_value_total"
        case keyAccountTotal = "key_account_total"
        case keyAccountBeforeStage = "key_account_before_stage"
        case keyAccountLeadDays = "key_account_lead_days"
        case onBrokenPromise = "on_broken_promise"
        case onWorseningTrend = "on_worsening_trend"
        case renotifyDays = "renotify_days"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.ownerInvolvement)
    }

    /// Writes `null` for a disabled stage rule: an absent key would mean the default.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(highValueTotal, forKey: .highValueTotal)
        try container.encode(keyAccountTotal, forKey: .keyAccountTotal)
        try container.encode(keyAccountBeforeStage, forKey: .keyAccountBeforeStage)
        try container.encode(keyAccountLeadDays, forKey: .keyAccountLeadDays)
        try container.encode(onBrokenPromise, forKey: .onBrokenPromise)
        try container.encode(onWorseningTrend, forKey: .onWorseningTrend)
        try container.encode(renotifyDays, forKey: .renotifyDays)
    }
}

/// Local wall-clock hours `[start, end)` in the customer's time zone.
public struct TimeWindow: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: TimeOfDay
    public var end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) {
        self.start = start
        self.end = end
    }

    public func contains(_ time: TimeOfDay) -> Bool { start <= time && time < end }

    /// Nil when the windows do not overlap.
    public func intersection(_ other: TimeWindow) -> TimeWindow? {
        let window = TimeWindow(start: max(start, other.start), end: min(end, other.end))
        return window.start < window.end ? window : nil
    }

    /// `09:00–17:00`
    public var description: String { "\(start)–\(end)" }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case start, end
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.sendWindow)
    }
}

/// Consumer-protection rules (US Regulation F style): contact hours and an opt-out line in every message.
public struct ConsumerMode: Hashable, Sendable, Codable {
    /// Treat every customer of the tenant as a consumer; customers flagged as consumers always are.
    public var enabled: Bool
    /// Must lie within 08:00–21:00.
    public var contactWindow: TimeWindow

    public static let legalWindow = TimeWindow(start: TimeOfDay(hour: 8, minute: 0)!, end: TimeOfDay(hour: 21, minute: 0)!)

    public init(enabled: Bool, contactWindow: TimeWindow = ConsumerMode.legalWindow) {
        self.enabled = enabled
        self.contactWindow = contactWindow
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
        case contactWindow = "contact_window"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.consumerMode)
    }
}

/// Customers and mail domains the tenant never writes to.
public struct DoNotContactRules: Hashable, Sendable, Codable {
    /// Customer references.
    public var customers: Set<String>
    /// Lower-case mail domains, e.g. `gov.example`.
    public var domains: Set<String>

    public init(customers: Set<String> = [], domains: Set<String> = []) {
        self.customers = customers
        self.domains = domains
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case customers, domains
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.doNotContact)
    }

    /// Sorted, so the same policy always prints the same.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(customers.sorted(), forKey: .customers)
        try container.encode(domains.sorted(), forKey: .domains)
    }
}

/// When to look for a better contact.
public struct ContactDiscoveryRules: Hashable, Sendable, Codable {
    /// Reminders in a row without a reply before looking.
    public var afterSilentReminders: Int
    /// Days before looking again when the last search found nothing usable.
    public var retryDays: Int
    /// Whether a contact the agents find becomes the primary one at once, or is only proposed for a
    /// person to approve.
    public var autoApply: Bool

    public init(afterSilentReminders: Int, retryDays: Int, autoApply: Bool = true) {
        self.afterSilentReminders = afterSilentReminders
        self.retryDays = retryDays
        self.autoApply = autoApply
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case afterSilentReminders = "after_silent_reminders"
        case retryDays = "retry_days"
        case autoApply = "auto_apply"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.contactDiscovery)
    }
}

/// What the agents do with a reply while a person or the customer acts on it.
public struct ReplyRules: Hashable, Sendable, Codable {
    /// Days outreach waits after a question, so nobody is chased while they wait for our answer.
    public var questionPauseDays: Int
    /// Days outreach waits after "already paid", for the payment to arrive and be matched.
    public var alreadyPaidPauseDays: Int
    /// Days outreach waits after an out-of-office reply that names no return date.
    public var outOfOfficeDefaultDays: Int
    /// A promise without a date is kept as a draft for this many days ahead, for a person to confirm.
    public var promiseWithoutDateDays: Int

    public init(questionPauseDays: Int = 3, alreadyPaidPauseDays: Int = 5, outOfOfficeDefaultDays: Int = 7,
                promiseWithoutDateDays: Int = 7) {
        self.questionPauseDays = questionPauseDays
        self.alreadyPaidPauseDays = alreadyPaidPauseDays
        self.outOfOfficeDefaultDays = outOfOfficeDefaultDays
        self.promiseWithoutDateDays = promiseWithoutDateDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case questionPauseDays = "question_pause_days"
        case alreadyPaidPauseDays = "already_paid_pause_days"
        case outOfOfficeDefaultDays = "out_of_office_default_days"
        case promiseWithoutDateDays = "promise_without_date_days"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: Policy.standard.replies)
    }
}
