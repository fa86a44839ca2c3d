import Mail
import Dashboard
import Dunning
import Store

/// `arrears report --format html`: one page to save and open, an aging chart per currency drawn
/// as SVG, no scripts and nothing fetched.
enum ReportHTML {
    static func render(_ summary: ReportSummary, tenant: String) -> String {
        var body = "<h1>\(HTMLText.escape(tenant)): receivables on \(summary.asOf)</h1>\n<p>Over the \(summary.periodDays) days before.</p>\n"
        for entry in summary.currencies {
            let metrics = entry.metrics
            body += "<h2>\(HTMLText.escape(entry.currency))</h2>\n" + Charts.aging(entry.aging, currency: entry.currency) + "\n"
            body += "<table><tr><th>DSO</th><th>Best possible DSO</th><th>Average days delinquent</th><th>CEI</th>"
                + "<th>Receivables</th><th>Overdue</th><th>Invoiced</th><th>Collected</th></tr>\n<tr>"
                + [Figures.days(metrics.dso), Figures.days(metrics.bestPossibleDSO),
                   Figures.days(metrics.averageDaysDelinquent), Figures.percent(metrics.collectionEffectivenessIndex),
                   Figures.money(metrics.receivables, entry.currency), Figures.money(metrics.overdueReceivables, entry.currency),
                   Figures.money(metrics.creditSales, entry.currency), Figures.money(metrics.collected, entry.currency)]
                .map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr></table>\n"
        }
        let promises = summary.promises
        body += "<h2>Promises due in the period</h2>\n<p>\(promises.kept) kept, \(promises.broken) broken, "
            + "\(promises.open) not yet verified; kept rate \(HTMLText.escape(Figures.percent(promises.keptRate))).</p>\n"
        body += "<h2>Agents</h2>\n<table><tr><th>Task</th><th>Succeeded</th><th>Dead</th><th>Cancelled</th></tr>\n"
        for kind in summary.tasks {
            body += "<tr><td>\(HTMLText.escape(kind.kind))</td><td>\(kind.succeeded)</td><td>\(kind.dead)</td><td>\(kind.cancelled)</td></tr>\n"
        }
        let activity = summary.activity
        body += "</table>\n<p>\(activity.remindersSent) reminders, \(activity.repliesByKind.values.reduce(0, +)) replies read, "
            + "\(activity.promisesCaptured) promises captured, \(activity.contactsDiscovered) contacts found, "
            + "\(activity.escalations) escalations, \(activity.ownerNotices) owner notices.</p>\n"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(tenant)) receivables \(summary.asOf)</title>
            <style>body{font:15px/1.4 system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0}
            td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f4f4f4}</style></head>
            <body>
            \(body)</body></html>
            """
    }
}
