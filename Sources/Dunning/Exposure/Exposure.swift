import Foundation

/// A customer's position on the review date, in its own time zone: what is open, what is overdue,
/// how it has paid, what it promised, what is disputed, and whether it can be reached.
/// Facts only; the policy turns them into a decision.
public struct Exposure: Hashable, Sendable {
    public let profile: CustomerProfile
    public let now: Date
    /// `now` on the customer's wall clock.
    public let local: LocalDateTime
    /// Open invoices with a positive balance, oldest due date first.
    public let invoices: [InvoiceStanding]
    /// Overdue balance per currency, disputed invoices excluded, sorted by currency.
    public let overdueTotals: [Money]
    /// Overdue invoices, disputed ones excluded.
    public let overdueCount: Int
    /// Days overdue of the oldest undisputed overdue invoice; 0 when nothing is overdue.
    public let oldestDaysOverdue: Int
    public let disputedInvoices: [String]
    public let history: PaymentHistory
    public let activePromise: PromiseToPay?
    /// The most recently broken promise, however long ago; the policy decides whether it still counts.
    public let lastBrokenPromise: PromiseToPay?
    public let contacts: [Contact]
    public let contactHealth: ContactHealth
    public let activity: RecentActivity

    public var today: CalendarDate { local.date }

    public init(_ snapshot: CustomerSnapshot, now: Date) {
        profile = snapshot.profile
        self.now = now
        local = LocalDateTime(now, in: snapshot.profile.timeZone)
        let today = local.date

        var active: PromiseToPay?
        var broken: PromiseToPay?
        for promise in snapshot.promises {
            switch promise.status {
            case .active where active.map { promise.promisedOn > $0.promisedOn } ?? true:
                active = promise
            case .broken where broken.map { promise.brokenOn > $0.brokenOn } ?? true:
                broken = promise
            default:
                break
            }
        }
        activePromise = active
        lastBrokenPromise = broken

        var standings: [InvoiceStanding] = []
        standings.reserveCapacity(snapshot.openInvoices.count)
        var totals = CurrencyTotals()
        var overdue = 0
        var oldest = 0
        var disputed: [String] = []
        for invoice in snapshot.openInvoices where invoice.openAmount.minorUnits > 0 {
            let standing = InvoiceStanding(
                invoice: invoice,
                daysOverdue: invoice.dueOn.days(until: today),
                isPromised: active?.covers(invoice.number) ?? false)
            standings.append(standing)
            if invoice.isDisputed {
                disputed.append(invoice.number)
            } else if standing.isOverdue {
                overdue += 1
                oldest = max(oldest, standing.daysOverdue)
                totals.add(invoice.openAmount)
            }
        }
        standings.sort { ($0.invoice.dueOn, $0.number) < ($1.invoice.dueOn, $1.number) }
        invoices = standings
        overdueTotals = totals.sorted
        overdueCount = overdue
        oldestDaysOverdue = oldest
        disputedInvoices = disputed.sorted()

        history = PaymentHistory(snapshot.paidInvoices, today: today)
        contacts = snapshot.contacts
        contactHealth = ContactHealth(of: snapshot.contacts)
        activity = snapshot.activity
    }
}

extension PromiseToPay {
    /// When a broken promise was found broken; the promised date if that was not recorded.
    var brokenOn: CalendarDate { resolvedOn ?? promisedOn }
}
