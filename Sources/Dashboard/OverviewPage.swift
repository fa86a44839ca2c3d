import Mail
import Dunning
import Foundation
import Queue
import Store

/// The tenant's first page: where the cash is stuck, what is due, what the agents did.
public enum OverviewPage {
    public struct TrendPoint: Sendable {
        public var label: String
        public var value: Double?
        public init(label: String, value: Double?) {
            self.label = label
            self.value = value
        }
    }

    public struct Data: Sendable {
        public var tenant: String
        public var today: CalendarDate
        public var aging: [AgingRow]
        /// DSO at each of the last month ends, per currency, oldest first.
        public var dsoTrend: [(currency: String, points: [TrendPoint])]
        public var atRisk: [OverdueCustomerRow]
        public var promisesDue: [DuePromise]
        public var recentActions: [AuditEvent]
        public var queue: QueueOverview

        public init(tenant: String, today: CalendarDate, aging: [AgingRow], dsoTrend: [(currency: String, points: [TrendPoint])],
                    atRisk: [OverdueCustomerRow], promisesDue: [DuePromise], recentActions: [AuditEvent], queue: QueueOverview) {
            self.tenant = tenant
            self.today = today
            self.aging = aging
            self.dsoTrend = dsoTrend
            self.atRisk = atRisk
            self.promisesDue = promisesDue
            self.recentActions = recentActions
            self.queue = queue
        }
    }

    public static func render(_ data: Data) -> String {
        var body = "<h1>Receivables on \(data.today)</h1>\n<section><h2>Aging</h2>\n"
        if data.aging.isEmpty { body += "<p class=\"muted\">Nothing is open.</p>" }
        for row in data.aging {
            body += "<h3>\(HTMLText.escape(row.currency)): \(HTMLText.escape(Figures.money(row.total, row.currency))) open in \(row.invoices) invoices</h3>\n"
            body += Charts.aging(row, currency: row.currency) + "\n"
        }
        body += "</section>\n<section><h2>DSO trend (90 days to each month end)</h2>\n"
        for trend in data.dsoTrend {
            body += "<h3>\(HTMLText.escape(trend.currency))</h3>\n" + Charts.trend(trend.points.map { ($0.label, $0.value) }, unit: "d") + "\n"
        }
        body += "</section>\n<section><h2>Customers at risk</h2>\n" + HTML.table(
            ["Customer", "Overdue", "Invoices", "Oldest"],
            data.atRisk.map { row in
                [link(customer: row.customerID, "\(row.name) (\(row.externalRef))"),
                 HTMLText.escape(Figures.money(row.overdueAmount, row.currency)), "\(row.overdueInvoices)", "\(row.oldestDaysOverdue) days"]
            }, empty: "No customer is overdue.")
        body += "</section>\n<section><h2>Promises due this week</h2>\n" + HTML.table(
            ["Date", "Customer", "Amount", "Note"],
            data.promisesDue.map { due in
                ["\(due.promise.promisedOn)", link(customer: due.promise.customerID, "\(due.customerName) (\(due.customerRef))"),
                 HTMLText.escape(due.promise.amount.map { Figures.money($0, due.promise.currency ?? "") } ?? "open amount"),
                 HTMLText.escape(due.promise.note)]
            }, empty: "No promise falls due in the next seven days.")
        body += "</section>\n<section><h2>Recent agent actions</h2>\n" + ActionList.render(data.recentActions, withCustomer: true)
        let queue = data.queue
        body += "</section>\n<section><h2>Queue and workers</h2>\n<p>\(queue.available) tasks ready, \(queue.scheduled) scheduled, "
            + "\(queue.running) running, \(queue.deadInLastDay) dead in the last day. <a href=\"/ui/tasks\">All tasks</a></p>\n"
        let now = Date()
        body += HTML.table(["Worker", "Running", "Leases"], queue.workers.map { worker in
            [HTMLText.escape(worker.worker), "\(worker.running)",
             worker.nextLeaseExpiry < now ? "<span class=\"error\">expired: the worker stopped renewing</span>" : "renewed"]
        }, empty: "No worker is running this tenant's tasks now.") + "</section>"
        return HTML.page(title: "Overview", tenant: data.tenant, body: body)
    }

    static func link(customer id: Int64, _ text: String) -> String {
        "<a href=\"/ui/customers/\(id)\">\(HTMLText.escape(text))</a>"
    }
}

/// Audit events as a list: when, who, what, and the reasons in plain words.
enum ActionList {
    static func render(_ events: [AuditEvent], withCustomer: Bool) -> String {
        HTML.table(["When", "Who", "What", "Why"] + (withCustomer ? ["Customer"] : []), events.map { event in
            [HTMLText.escape(Figures.instant(event.createdAt)), HTMLText.escape(event.actor), HTMLText.escape(event.action),
             event.reasons.map { HTMLText.escape($0) }.joined(separator: "<br>")]
                + (withCustomer ? [event.customerID.map { OverviewPage.link(customer: $0, "#\($0)") } ?? ""] : [])
        }, empty: "Nothing yet.")
    }
}
