import Dunning
import Foundation
import Mail
import Store

/// The simulated month: reads every mail the agents send (at the sink), lets each scripted customer
/// react as its persona does — replies, auto-replies, bounces, payments — at simulated instants, and
/// sends those reactions to the coordinator as a mail provider and an ERP would. Prints progress.
public struct DemoRun: Sendable {
    let book: DemoBook
    let sink: MailSink
    let api: CoordinatorClient
    let store: Store
    let tenantID: Int64
    let clock: AcceleratedTimeSource
    let senderAddress: String

    public init(book: DemoBook, sink: MailSink, coordinatorURL: String, key: String, tenantSlug: String, store: Store,
                tenantID: Int64, clock: AcceleratedTimeSource, senderAddress: String) {
        self.book = book
        self.sink = sink
        api = CoordinatorClient(baseURL: coordinatorURL, key: key, tenantSlug: tenantSlug)
        self.store = store
        self.tenantID = tenantID
        self.clock = clock
        self.senderAddress = senderAddress
    }

    /// Runs until the simulated clock reaches `end`.
    public func run(until end: Date, progress: @Sendable (String) -> Void) async throws {
        var scripts = Dictionary(uniqueKeysWithValues: book.customers.map { ($0.reference, CustomerScript($0)) })
        var byAddress: [String: String] = [:]
        for customer in book.customers {
            byAddress[customer.contactEmail.lowercased()] = customer.reference
            if let other = customer.otherEmail { byAddress[other.lowercased()] = customer.reference }
        }
        let zones = Dictionary(uniqueKeysWithValues: book.customers.map {
            ($0.reference, TimeZone(identifier: $0.timeZone) ?? .gmt)
        })
        var seen = 0
        var pending: [Reaction] = []
        var counts = Counts()
        let firstDay = LocalDateTime(clock.start, in: .gmt).date
        let totalDays = Int((end.timeIntervalSince(clock.start) / 86_400).rounded())
        var reportedDay = firstDay

        while clock.now() < end {
            for received in sink.messages(after: seen) {
                seen = received.sequence
                guard let parsed = try? ParsedMessage(parsing: received.data), let id = parsed.messageID else { continue }
                for recipient in received.recipients {
                    guard let reference = byAddress[recipient.lowercased()], var script = scripts[reference] else { continue }
                    // Only reminders get reactions; thank-you notes are read and smiled at.
                    guard try await isReminder(id) else { continue }
                    counts.reminders += 1
                    let reminder = ReceivedReminder(
                        to: recipient, messageID: id, subject: parsed.subject ?? "", references: parsed.references,
                        invoices: script.customer.openInvoices.map(\.number).filter { parsed.text.contains($0) })
                    let now = clock.now()
                    pending += script.react(to: reminder, now: now, today: LocalDateTime(now, in: zones[reference]!).date)
                    scripts[reference] = script
                }
            }
            let now = clock.now()
            let due = pending.filter { $0.at <= now }.sorted { $0.at < $1.at }
            pending.removeAll { $0.at <= now }
            for reaction in due {
                guard var script = scripts[reaction.customer] else { continue }
                do {
                    try await perform(reaction, script: &script, zone: zones[reaction.customer]!, counts: &counts)
                } catch {
                    progress("  (a scripted customer's \(reaction.action) failed: \(error))")
                }
                scripts[reaction.customer] = script
            }
            // One line as each simulated day ends, numbered by calendar date (the run starts mid-day).
            let today = LocalDateTime(now, in: .gmt).date
            if today != reportedDay {
                let day = reportedDay.daysSinceEpoch - firstDay.daysSinceEpoch + 1
                progress("  day \(day)/\(totalDays) \(reportedDay): \(counts.reminders) reminders, "
                    + "\(counts.replies) replies, \(counts.bounces) bounces, \(counts.payments) payments")
                reportedDay = today
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct Counts {
        var reminders = 0
        var replies = 0
        var bounces = 0
        var payments = 0
    }

    private func isReminder(_ messageID: String) async throws -> Bool {
        try await store.withTenant(tenantID, actor: "demo") { tenant in
            try await tenant.outboundMessage(messageID: messageID)?.0.stage != nil
        }
    }

    private func perform(_ reaction: Reaction, script: inout CustomerScript, zone: TimeZone, counts: inout Counts) async throws {
        let customer = script.customer
        switch reaction.action {
        case .reply(let from, let subject, let text, let answering, _):
            try await api.postReply([
                "from": from, "to": [senderAddress], "subject": subject, "text": text,
                "message_id": "<\(UUID().uuidString.lowercased())@\(Self.domain(of: customer.contactEmail))>",
                "in_reply_to": "<\(answering.messageID)>",
                "references": (answering.references + [answering.messageID]).map { "<\($0)>" },
                "date": InstantText.format(reaction.at),
            ])
            counts.replies += 1
        case .bounce(let failed, let answering):
            try await api.postRawMessage(Self.deliveryFailure(failed: failed, original: answering, to: senderAddress, at: reaction.at))
            counts.bounces += 1
        case .pay(let numbers, let share):
            let open = customer.openInvoices.filter { numbers.contains($0.number) && !script.settled.contains($0.number) }
            guard !open.isEmpty else { return }
            let allocations = try await store.withTenant(tenantID, actor: "demo") { tenant in
                var allocations: [Allocation] = []
                for invoice in open {
                    guard let stored = try await tenant.invoice(number: invoice.number), stored.openAmount > 0 else { continue }
                    allocations.append(Allocation(invoiceID: stored.id, amount: max(1, Int64((Double(stored.openAmount) * share).rounded()))))
                }
                return allocations
            }
            guard !allocations.isEmpty else { return }
            let total = allocations.reduce(Int64(0)) { $0 + $1.amount }
            try await api.postPayment([
                "customer_ref": customer.reference, "amount": total, "currency": customer.currency,
                "received_on": LocalDateTime(reaction.at, in: zone).date.description,
                "reference": "BANK-\(customer.reference)-\(Int(reaction.at.timeIntervalSince1970))",
                "allocations": allocations.map { ["invoice_id": $0.invoiceID, "amount": $0.amount] },
            ])
            if share >= 1 { script.markPaid(open.map(\.number)) }
            counts.payments += 1
        }
    }

    private static func domain(of address: String) -> String {
        address.split(separator: "@").last.map(String.init) ?? "customer.example"
    }

    /// An RFC 3464 delivery status notification, as the customer's mail server would return it.
    static func deliveryFailure(failed: String, original: ReceivedReminder, to sender: String, at instant: Date) -> String {
        let domain = domain(of: failed)
        return """
            From: Mail Delivery System <MAILER-DAEMON@mx.\(domain)>\r
            To: \(sender)\r
            Subject: Undelivered Mail Returned to Sender\r
            Message-ID: <\(UUID().uuidString.lowercased())@mx.\(domain)>\r
            Date: \(MailDate.format(instant))\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"\r
            \r
            --dsn\r
            Content-Type: text/plain\r
            \r
            This is the mail system at host mx.\(domain). Your message could not be delivered to \(failed).\r
            \r
            --dsn\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx.\(domain)\r
            \r
            Final-Recipient: rfc822; \(failed)\r
            Action: failed\r
            Status: 5.1.1\r
            Diagnostic-Code: smtp; 550 5.1.1 <\(failed)>: Recipient address rejected: User unknown\r
            \r
            --dsn\r
            Content-Type: text/rfc822-headers\r
            \r
            Message-ID: <\(original.messageID)>\r
            Subject: \(original.subject)\r
            \r
            --dsn--\r

            """
    }
}

private struct Allocation: Sendable {
    let invoiceID: Int64
    let amount: Int64
}
