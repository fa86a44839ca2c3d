import Foundation

/// Decides what to do about one customer, as a whole and never invoice by invoice.
/// Pure and cheap: no I/O, no formatters, one time-zone lookup for `now` and a few for dates.
public func decide(_ snapshot: CustomerSnapshot, policy: Policy, now: Date) -> Decision {
    decide(Exposure(snapshot, now: now), policy: policy)
}

/// Decides from an exposure already built; `exposure.now` is the moment of the decision.
public func decide(_ exposure: Exposure, policy: Policy) -> Decision {
    var review = Review(exposure: exposure, policy: policy)
    return review.decide()
}

/// The working state of one decision. Each concern (promise, escalation, outreach, owner) lives in its
/// own extension and adds actions, reasons and the dates on which something will change.
struct Review {
    let exposure: Exposure
    let policy: Policy
    let today: CalendarDate
    let schedule: SendSchedule
    let isConsumer: Bool
    /// Nothing but a gentle reminder: the overdue balance is within the small-balance tolerance.
    var isSmallBalance = false
    /// A broken promise recent enough to count against the customer.
    var brokenPromise: PromiseToPay?

    var reasons: [String] = []
    var outreach: Action?
    var contactDiscovery: Action?
    var promiseVerification: Action?
    var escalation: Action?
    var notifyOwner: Action?
    var escalationLevel = 0
    /// Owner triggers that must reach the owner now, whatever the re-notify interval says.
    var urgentOwnerTriggers: [String] = []

    /// The earliest date on which something is known to change.
    private var followUp: CalendarDate?
    /// Set when outreach is due but the send window is closed.
    var deferredUntil: Date?

    init(exposure: Exposure, policy: Policy) {
        self.exposure = exposure
        self.policy = policy
        today = exposure.today
        isConsumer = exposure.profile.isConsumer || policy.consumerMode.enabled
        schedule = SendSchedule(policy: policy, consumer: isConsumer, zone: exposure.profile.timeZone)
    }

    mutating func decide() -> Decision {
        describeExposure()
        checkSmallBalance()
        findBrokenPromise()
        decideEscalation()
        decidePromise()
        decideOutreach()
        decideOwnerInvolvement()
        let nextReviewAt = nextReview()
        return Decision(
            customer: exposure.profile.reference,
            escalationLevel: escalationLevel,
            actions: [outreach, contactDiscovery, promiseVerification, escalation, notifyOwner].compactMap { $0 },
            nextReviewAt: nextReviewAt,
            nextReviewOn: localDate(of: nextReviewAt),
            reasons: reasons)
    }

    /// Something changes on `date`; the next review is the earliest such date after today.
    mutating func followUp(on date: CalendarDate) {
        guard date > today else { return }
        if followUp.map({ date < $0 }) ?? true { followUp = date }
    }

    func localDate(of instant: Date) -> CalendarDate {
        LocalDateTime(instant, in: exposure.profile.timeZone).date
    }

    /// Undisputed overdue invoices: what escalation and the owner are about.
    var overdueInvoiceNumbers: [String] {
        exposure.invoices.lazy.filter { $0.isOverdue && !$0.invoice.isDisputed }.map(\.number)
    }

    private mutating func describeExposure() {
        let open = exposure.invoices
        if exposure.overdueCount > 0 {
            let totals = Wording.amounts(exposure.overdueTotals)
            let oldest = Wording.count(exposure.oldestDaysOverdue, "day")
            reasons.append(exposure.overdueCount == 1
                ? "1 invoice overdue totalling \(totals), \(oldest) overdue"
                : "\(exposure.overdueCount) invoices overdue totalling \(totals), oldest \(oldest)")
        } else if open.isEmpty {
            reasons.append("no open invoices")
        } else {
            let notDue = open.count { !$0.isOverdue }
            reasons.append(notDue > 0
                ? "nothing overdue; \(Wording.count(notDue, "open invoice")) not yet due"
                : "nothing overdue apart from disputed invoices")
        }
        let disputed = exposure.disputedInvoices
        if !disputed.isEmpty {
            reasons.append("\(Wording.list(disputed)) \(disputed.count == 1 ? "is" : "are") disputed and excluded from chasing")
        }
    }

    private mutating func checkSmallBalance() {
        guard exposure.overdueCount > 0 else { return }
        let goodPayer = policy.goodHistory.isMet(by: exposure.history)
        var limits: [Money] = []
        for total in exposure.overdueTotals {
            guard let base = policy.smallBalance.tolerance[total.currency] else { return }
            let limit = goodPayer ? base.saturatingMultiplied(by: policy.smallBalance.goodHistoryFactor) : base
            guard total.minorUnits <= limit.minorUnits else { return }
            limits.append(limit)
        }
        isSmallBalance = true
        let goodHistory = goodPayer ? " (\(policy.smallBalance.goodHistoryFactor)× for a good payment history)" : ""
        reasons.append("""
            \(Wording.amounts(exposure.overdueTotals)) overdue is within the small-balance tolerance of \
            \(Wording.amounts(limits))\(goodHistory): a gentle reminder at most, no escalation
            """)
    }

    private mutating func findBrokenPromise() {
        guard let promise = exposure.lastBrokenPromise else { return }
        let age = promise.brokenOn.days(until: today)
        if age >= 0, age <= policy.escalation.brokenPromiseMemoryDays { brokenPromise = promise }
    }

    private mutating func decidePromise() {
        guard let promise = exposure.activePromise else { return }
        let amount = promise.amount.map { "\($0) " } ?? ""
        let covered = promise.invoiceNumbers.isEmpty ? "" : " for \(Wording.list(promise.invoiceNumbers))"
        let checkOn = promise.promisedOn.adding(days: policy.promiseGraceDays)
        if today < checkOn {
            reasons.append("""
                promise to pay \(amount)by \(promise.promisedOn)\(covered): \
                no reminders about it until it is checked on \(checkOn)
                """)
            followUp(on: checkOn)
        } else {
            promiseVerification = .promiseVerification(
                invoices: exposure.invoices.filter { $0.isPromised && !$0.invoice.isDisputed }.map(\.number))
            reasons.append("""
                promise to pay \(amount)by \(promise.promisedOn)\(covered) is due for checking \
                after \(Wording.count(policy.promiseGraceDays, "day")) of grace
                """)
            followUp(on: today.adding(days: 1))
        }
    }

    private mutating func nextReview() -> Date {
        if let deferredUntil { return deferredUntil }
        followUp(on: today.adding(days: policy.reviewIntervalDays))
        return schedule.opening(onOrAfter: followUp ?? today.adding(days: policy.reviewIntervalDays))
    }
}
