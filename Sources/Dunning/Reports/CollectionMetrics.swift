/// The receivables measures finance teams compare themselves by, for one currency over a period,
/// from amounts in minor units. Each is nil when its denominator is zero (nothing invoiced, or
/// nothing to collect), never a made-up 0 or infinity.
public struct CollectionMetrics: Sendable, Hashable {
    public var periodDays: Int
    /// Invoiced in the period (void invoices left out).
    public var creditSales: Int64
    /// Open at the end of the period: open and disputed invoices.
    public var receivables: Int64
    /// The part of `receivables` not yet due at the end of the period.
    public var currentReceivables: Int64
    /// Payments received in the period.
    public var collected: Int64

    public init(periodDays: Int, creditSales: Int64, receivables: Int64, currentReceivables: Int64, collected: Int64) {
        self.periodDays = periodDays
        self.creditSales = creditSales
        self.receivables = receivables
        self.currentReceivables = currentReceivables
        self.collected = collected
    }

    public var overdueReceivables: Int64 { receivables - currentReceivables }

    /// Days sales outstanding: receivables ÷ credit sales × days in the period.
    public var dso: Double? { perDayOfSales(receivables) }

    /// The DSO if every customer paid exactly on time: current receivables ÷ credit sales × days.
    public var bestPossibleDSO: Double? { perDayOfSales(currentReceivables) }

    /// Average days delinquent: how many days of sales are late, DSO − best possible DSO.
    public var averageDaysDelinquent: Double? {
        guard let dso, let bestPossibleDSO else { return nil }
        return Self.oneDecimal(dso - bestPossibleDSO)
    }

    /// Collection effectiveness index, in percent: (beginning receivables + credit sales − ending
    /// receivables) ÷ (beginning receivables + credit sales − ending current receivables) × 100.
    /// With no write-offs, beginning + sales − ending is what was collected, so this is
    /// collected ÷ (collected + ending overdue receivables) × 100: 100 when nothing is left overdue.
    public var collectionEffectivenessIndex: Double? {
        let collectible = collected + overdueReceivables
        guard collectible > 0 else { return nil }
        return Self.oneDecimal(Double(collected) / Double(collectible) * 100)
    }

    private func perDayOfSales(_ amount: Int64) -> Double? {
        Self.daysOfSales(amount, creditSales: creditSales, periodDays: periodDays)
    }

    /// `amount` ÷ credit sales × days in the period, one decimal: how many days of sales it is.
    /// Nil when nothing was invoiced.
    public static func daysOfSales(_ amount: Int64, creditSales: Int64, periodDays: Int) -> Double? {
        guard creditSales > 0 else { return nil }
        return oneDecimal(Double(amount) / Double(creditSales) * Double(periodDays))
    }

    static func oneDecimal(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

/// How the promises that fell due in a period turned out.
public struct PromiseOutcomes: Sendable, Hashable {
    public var kept: Int
    public var broken: Int
    /// Due in the period but not yet verified.
    public var open: Int

    public init(kept: Int, broken: Int, open: Int) {
        self.kept = kept
        self.broken = broken
        self.open = open
    }

    /// Kept ÷ (kept + broken), in percent; promises not yet verified do not count either way.
    public var keptRate: Double? {
        kept + broken > 0 ? CollectionMetrics.oneDecimal(Double(kept) / Double(kept + broken) * 100) : nil
    }
}
