import Foundation

extension Review {
    /// The account owner hears about high values, key accounts, broken promises and worsening payers.
    /// Events (a broken promise, a key account about to get a stage the owner must precede) are told at
    /// once; standing conditions at most every `renotifyDays`.
    mutating func decideOwnerInvolvement() {
        var events = urgentOwnerTriggers
        var conditions: [String] = []
        let toldOn = exposure.activity.lastOwnerNotificationAt.map(localDate(of:))
        if exposure.overdueCount > 0, !isSmallBalance {
            findOwnerTriggers(toldOn: toldOn, events: &events, conditions: &conditions)
        }
        let rules = policy.ownerInvolvement
        let renotifyOn = toldOn?.adding(days: rules.renotifyDays)
        let conditionsDue = !conditions.isEmpty && renotifyOn.map { today >= $0 } ?? true
        if events.isEmpty, !conditionsDue {
            if let toldOn, let renotifyOn, !conditions.isEmpty {
                reasons.append("account owner already told on \(toldOn); told again from \(renotifyOn) if still needed")
                followUp(on: renotifyOn)
            }
            return
        }
        notifyOwner = .notifyOwner(invoices: Array(overdueInvoiceNumbers))
        reasons.append("account owner involved: \((events + conditions).joined(separator: "; "))")
    }

    private func findOwnerTriggers(toldOn: CalendarDate?, events: inout [String], conditions: inout [String]) {
        let rules = policy.ownerInvolvement
        if let broken = brokenPromise, rules.onBrokenPromise, toldOn.map({ $0 < broken.brokenOn }) ?? true {
            events.append("promise to pay by \(broken.promisedOn) was broken")
        }
        for total in exposure.overdueTotals {
            if exposure.profile.isKeyAccount, let limit = rules.keyAccountTotal[total.currency],
               total.minorUnits >= limit.minorUnits {
                conditions.append("key account with \(total) overdue (threshold \(limit))")
            } else if let limit = rules.highValueTotal[total.currency], total.minorUnits >= limit.minorUnits {
                conditions.append("\(total) overdue reached the high-value threshold of \(limit)")
            }
        }
        let history = exposure.history
        if rules.onWorseningTrend, history.trend == .worsening,
           let recent = history.recentAverageDaysLate, let earlier = history.earlierAverageDaysLate {
            conditions.append("""
                payments are getting later: \(Wording.days(recent)) days late on average in the last 6 months \
                against \(Wording.days(earlier)) before
                """)
        }
    }
}
