import Mail
import Dunning
import Store

/// One customer: what it owes, the thread with it, and every decision about it.
public enum CustomerPage {
    public struct Data: Sendable {
        public var tenant: String
        public var today: CalendarDate
        public var customer: Customer
        public var invoices: [Invoice]
        public var messages: [Message]
        public var timeline: [AuditEvent]

        public init(tenant: String, today: CalendarDate, customer: Customer, invoices: [Invoice], messages: [Message], timeline: [AuditEvent]) {
            self.tenant = tenant
            self.today = today
            self.customer = customer
            self.invoices = invoices
            self.messages = messages
            self.timeline = timeline
        }
    }

    public static func render(_ data: Data) -> String {
        let customer = data.customer
        let open = data.invoices.filter { ($0.status == "open" || $0.status == "disputed") && $0.openAmount > 0 }
        var exposure: [String] = []
        for currency in Set(open.map(\.currency)).sorted() {
            let inCurrency = open.filter { $0.currency == currency }
            let overdue = inCurrency.filter { $0.dueOn < data.today && $0.status == "open" }
            let oldest = overdue.map { $0.dueOn.days(until: data.today) }.max()
            exposure.append("\(Figures.money(inCurrency.reduce(0) { $0 + $1.openAmount }, currency)) open, "
                            + "\(Figures.money(overdue.reduce(0) { $0 + $1.openAmount }, currency)) overdue in \(overdue.count) invoices"
                            + (oldest.map { ", the oldest \($0) days" } ?? ""))
        }
        var body = "<h1>\(HTMLText.escape(customer.name)) <span class=\"muted\">\(HTMLText.escape(customer.externalRef))</span></h1>\n"
        body += "<section><h2>Exposure</h2>\n<p>" + (exposure.isEmpty ? "Nothing open." : exposure.map(HTMLText.escape).joined(separator: "<br>"))
            + "</p><p class=\"muted\">Escalation level \(customer.escalationLevel)"
            + (customer.accountOwnerEmail.map { " · account owner \(HTMLText.escape($0))" } ?? "") + "</p></section>\n"
        body += "<section><h2>Invoices</h2>\n" + HTML.table(["Number", "Issued", "Due", "Amount", "Open", "Status"], data.invoices.map { invoice in
            [HTMLText.escape(invoice.number), "\(invoice.issuedOn)", "\(invoice.dueOn)", HTMLText.escape(Figures.money(invoice.amount, invoice.currency)),
             HTMLText.escape(Figures.money(invoice.openAmount, invoice.currency)), HTMLText.escape(invoice.status)]
        }, empty: "No invoices.") + "</section>\n"
        body += "<section><h2>Mail thread</h2>\n" + (data.messages.isEmpty ? "<p class=\"muted\">No mail yet.</p>" : data.messages.map { message in
            "<article><p><strong>\(message.direction == "outbound" ? "To" : "From") \(HTMLText.escape(message.direction == "outbound" ? message.toAddresses.joined(separator: ", ") : message.fromAddress))</strong>"
                + " · \(HTMLText.escape(message.subject)) · <span class=\"muted\">\(HTMLText.escape(message.status))</span></p>"
                + "<pre>\(HTMLText.escape(String(message.bodyText.prefix(4000))))</pre></article>"
        }.joined(separator: "\n")) + "</section>\n"
        body += "<section><h2>Timeline of decisions</h2>\n" + ActionList.render(data.timeline, withCustomer: false) + "</section>"
        return HTML.page(title: customer.name, tenant: data.tenant, body: body)
    }
}
