import Dunning
import Foundation
import Mail

extension OwnerNotice {
    /// The notice as a message to the account owner, from the tenant's AR sender.
    public func mail(from sender: MailAddress, to owner: MailAddress, language: ReminderLanguage,
                     now: Date, taskID: String, step: String, messageIDDomain: String? = nil) -> OutgoingMail {
        let wording = OwnerNoticeWording(language: language)
        let totals = overdueTotals.map(language.format)
        let totalText = totals.isEmpty ? nil : language.wording.list(totals)
        var blocks: [Letter.Block] = [
            .paragraph(wording.greeting(owner.name)),
            .paragraph(wording.intro(customer: customerName, reference: accountReference, level: escalationLevel)),
        ]
        if !reasons.isEmpty { blocks.append(.list(reasons, heading: wording.heading(wording.why))) }

        let invoiceWording = language.wording
        func line(_ invoice: OpenInvoice) -> ReminderPhrasing.InvoiceLine {
            ReminderPhrasing.InvoiceLine(number: invoice.number, amount: language.format(invoice.openAmount),
                                         dueOn: language.format(invoice.dueOn), daysOverdue: daysOverdue(invoice))
        }
        var figures = [wording.heading(wording.overdue) + " " + (totalText ?? wording.nothingOverdue)]
        if let oldest = oldestOverdueInvoice {
            figures.append(wording.heading(wording.oldestInvoice) + " " + wording.invoice(
                oldest.number, amount: language.format(oldest.openAmount), due: language.format(oldest.dueOn),
                standing: invoiceWording.standing(daysOverdue: daysOverdue(oldest))))
        }
        blocks.append(.lines(figures))

        if !openInvoices.isEmpty {
            let sorted = openInvoices.sorted { ($0.dueOn, $0.number) < ($1.dueOn, $1.number) }
            let marker = { (invoice: OpenInvoice) in invoice.isDisputed ? " (\(wording.disputed))" : "" }
            blocks.append(.table(
                header: invoiceWording.tableHeader,
                rows: sorted.map { [$0.number + marker($0), language.format($0.openAmount), language.format($0.dueOn),
                                    invoiceWording.standing(daysOverdue: daysOverdue($0))] },
                textLines: sorted.map { invoiceWording.invoiceLine(line($0)) + marker($0) },
                heading: wording.heading(wording.openInvoices)))
        }

        blocks.append(promises.isEmpty ? .paragraph(wording.heading(wording.promises) + " " + wording.noPromises) : .list(promises.map {
            wording.promise(amount: $0.amount.map(language.format), due: language.format($0.promisedOn), status: $0.status)
        }, heading: wording.heading(wording.promises)))

        blocks.append(recentMessages.isEmpty ? .paragraph(wording.heading(wording.messages) + " " + wording.noMessages) : .list(recentMessages.map { message in
            let heading = wording.message(message.direction, when: when(message.at, language), counterpart: message.counterpart)
            let kind = message.classification.map { " [\($0)]" } ?? ""
            return "\(heading)\(kind): “\(message.subject)” – \(message.excerpt)"
        }, heading: wording.heading(wording.messages)))

        blocks.append(actions.isEmpty ? .paragraph(wording.heading(wording.actions) + " " + wording.noActions) : .list(actions.map {
            "\(when($0.at, language)): \($0.description)"
        }, heading: wording.heading(wording.actions)))
        blocks.append(.paragraph(wording.paused(outreachPaused)))

        let letter = Letter(blocks: blocks, language: language)
        return OutgoingMail(
            from: sender, to: [owner],
            subject: wording.subject(customer: customerName, overdue: totalText, level: escalationLevel),
            date: now, timeZone: timeZone,
            messageID: MessageID.deterministic(taskID: taskID, step: step, domain: messageIDDomain ?? sender.domain),
            textBody: letter.text, htmlBody: letter.html)
    }

    private func when(_ instant: Date, _ language: ReminderLanguage) -> String {
        let local = LocalDateTime(instant, in: timeZone)
        return "\(language.format(local.date)) \(local.time)"
    }
}
