import Foundation

extension Review {
    /// The level follows from the exposure now — the highest level with any threshold met — plus one for a
    /// recent broken promise, so it falls again as the customer pays. Small balances stay at 0.
    mutating func decideEscalation() {
        let levels = policy.escalation.levels
        var level = 0
        if exposure.overdueCount > 0, !isSmallBalance {
            for index in levels.indices.reversed() {
                let met = thresholdsMet(levels[index], level: index + 1)
                if !met.isEmpty {
                    level = index + 1
                    reasons.append(contentsOf: met)
                    break
                }
            }
            if let broken = brokenPromise, policy.escalation.brokenPromiseRaisesLevel, level < levels.count {
                level += 1
                reasons.append("""
                    promise to pay by \(broken.promisedOn) was broken on \(broken.brokenOn): escalation level raised by 1
                    """)
            }
            followNextAgeThreshold(above: level)
        }
        escalationLevel = level
        let current = exposure.profile.escalationLevel
        if level > current {
            escalation = .escalation(level: level, invoices: Array(overdueInvoiceNumbers))
            reasons.append("escalation level raised from \(current) to \(level)")
        } else if level < current {
            reasons.append("escalation level lowered from \(current) to \(level)")
        }
    }

    private func thresholdsMet(_ thresholds: EscalationLevel, level: Int) -> [String] {
        var met: [String] = []
        for total in exposure.overdueTotals {
            if let limit = thresholds.totalOverdue[total.currency], total.minorUnits >= limit.minorUnits {
                met.append("total overdue \(total) reached the level \(level) threshold of \(limit)")
            }
        }
        if let limit = thresholds.overdueInvoices, exposure.overdueCount >= limit {
            met.append("\(exposure.overdueCount) overdue invoices reached the level \(level) threshold of \(limit)")
        }
        if let limit = thresholds.oldestDaysOverdue, exposure.oldestDaysOverdue >= limit {
            met.append("""
                oldest invoice \(Wording.count(exposure.oldestDaysOverdue, "day")) overdue reached \
                the level \(level) threshold of \(Wording.count(limit, "day"))
                """)
        }
        return met
    }

    /// Age is the one threshold that is crossed by time alone; review on the day it is.
    private mutating func followNextAgeThreshold(above level: Int) {
        for thresholds in policy.escalation.levels.dropFirst(level) {
            if let days = thresholds.oldestDaysOverdue, days > exposure.oldestDaysOverdue {
                followUp(on: today.adding(days: days - exposure.oldestDaysOverdue))
            }
        }
    }
}
