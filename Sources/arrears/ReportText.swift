import Dashboard
import Store

/// `arrears report` for a terminal.
enum ReportText {
    static func render(_ summary: ReportSummary, tenant: String) -> String {
        var lines = ["\(tenant): receivables on \(summary.asOf), over the \(summary.periodDays) days before", ""]
        if summary.currencies.isEmpty { lines.append("no invoices or payments in the period") }
        for entry in summary.currencies {
            let money = { (amount: Int64) in Figures.money(amount, entry.currency) }
            let metrics = entry.metrics
            lines.append("\(entry.currency)")
            lines.append("  aging         current \(money(entry.aging?.current ?? 0)) · 1–30 \(money(entry.aging?.days1To30 ?? 0)) · "
                         + "31–60 \(money(entry.aging?.days31To60 ?? 0)) · 61–90 \(money(entry.aging?.days61To90 ?? 0)) · "
                         + "90+ \(money(entry.aging?.daysOver90 ?? 0))")
            lines.append("  receivables   \(money(metrics.receivables)) (\(money(metrics.overdueReceivables)) overdue); "
                         + "invoiced \(money(metrics.creditSales)), collected \(money(metrics.collected))")
            lines.append("  DSO \(Figures.days(metrics.dso)) · best possible \(Figures.days(metrics.bestPossibleDSO)) · "
                         + "average days delinquent \(Figures.days(metrics.averageDaysDelinquent)) · "
                         + "CEI \(Figures.percent(metrics.collectionEffectivenessIndex))")
        }
        let promises = summary.promises
        lines += ["", "promises due in the period: \(promises.kept) kept, \(promises.broken) broken, \(promises.open) not yet verified; "
                  + "kept rate \(Figures.percent(promises.keptRate))"]
        let activity = summary.activity
        lines.append("agents so far: \(activity.remindersSent) reminders, \(activity.otherMailSent) other mails, "
                     + "\(activity.repliesByKind.values.reduce(0, +)) replies read, \(activity.promisesCaptured) promises captured, "
                     + "\(activity.contactsDiscovered) contacts found (\(activity.contactsProposed) proposed), "
                     + "\(activity.escalations) escalations, \(activity.ownerNotices) owner notices")
        if !activity.repliesByKind.isEmpty {
            lines.append("  replies: " + activity.repliesByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for kind in summary.tasks {
            lines.append("  \(kind.kind): \(kind.succeeded) succeeded, \(kind.dead) dead, \(kind.cancelled) cancelled")
        }
        return lines.joined(separator: "\n")
    }
}
