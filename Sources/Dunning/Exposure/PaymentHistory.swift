import Foundation

public enum PaymentTrend: String, Hashable, Sendable, Codable {
    case improving, stable, worsening
}

/// How a customer paid over the last 12 months, from its settled invoices.
///
/// Days late = paid date − due date, 0 when paid on or before the due date. The trend compares the
/// average days late of invoices paid in the last 6 months with the 6 months before; it needs at least
/// `minimumPerHalf` invoices in each half and a difference of `trendThresholdDays`, else it is stable.
public struct PaymentHistory: Hashable, Sendable {
    public static let trendThresholdDays = 5.0
    public static let minimumPerHalf = 2

    public let paidCount: Int
    public let paidOnTimeCount: Int
    /// Over all paid invoices in the window, on-time ones counting as 0; nil without any.
    public let averageDaysLate: Double?
    public let recentAverageDaysLate: Double?
    public let earlierAverageDaysLate: Double?
    public let trend: PaymentTrend

    /// Nil when nothing was paid in the window: no history is not a good history.
    public var onTimeRatio: Double? {
        paidCount == 0 ? nil : Double(paidOnTimeCount) / Double(paidCount)
    }

    public init(_ paidInvoices: [PaidInvoice], today: CalendarDate) {
        let windowStart = today.adding(months: -12)
        let halfway = today.adding(months: -6)
        var onTime = 0
        var recent = (count: 0, daysLate: 0)
        var earlier = (count: 0, daysLate: 0)
        for invoice in paidInvoices where invoice.paidOn > windowStart && invoice.paidOn <= today {
            let daysLate = max(0, invoice.dueOn.days(until: invoice.paidOn))
            if daysLate == 0 { onTime += 1 }
            if invoice.paidOn > halfway {
                recent.count += 1
                recent.daysLate += daysLate
            } else {
                earlier.count += 1
                earlier.daysLate += daysLate
            }
        }
        func average(_ part: (count: Int, daysLate: Int)) -> Double? {
            part.count == 0 ? nil : Double(part.daysLate) / Double(part.count)
        }
        paidCount = recent.count + earlier.count
        paidOnTimeCount = onTime
        averageDaysLate = average((paidCount, recent.daysLate + earlier.daysLate))
        recentAverageDaysLate = average(recent)
        earlierAverageDaysLate = average(earlier)
        if recent.count >= Self.minimumPerHalf, earlier.count >= Self.minimumPerHalf,
           let recentAverage = recentAverageDaysLate, let earlierAverage = earlierAverageDaysLate {
            let change = recentAverage - earlierAverage
            trend = change >= Self.trendThresholdDays ? .worsening
                : change <= -Self.trendThresholdDays ? .improving : .stable
        } else {
            trend = .stable
        }
    }
}
