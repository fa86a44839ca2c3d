struct EnglishWording: ReminderWording {
    let language = ReminderLanguage.english
    let teamName = "Accounts Receivable"
    let tableHeader = ["Invoice", "Amount", "Due date", "Status"]
    let optOutLine = "If you would rather not receive these reminders by email, reply with the word STOP and we will no longer write to you by email."

    func accountReference(_ reference: String) -> String { "Customer number: \(reference)" }

    func subject(_ p: ReminderPhrasing) -> String {
        let numbers = p.invoices.map(\.number)
        let invoices = (p.isSingle ? "invoice " : "invoices ") + invoiceReference(numbers) { "\($0) more" }
        switch p.tone {
        case .friendly: return "Payment reminder: \(invoices)"
        case .firm: return "Outstanding payment: \(invoices)"
        case .urgent: return "Urgent: outstanding payment for \(invoices)"
        case .formal: return "Formal payment reminder: \(invoices)"
        }
    }

    func greeting(_ p: ReminderPhrasing) -> String {
        switch (p.tone, p.contactName) {
        case (.friendly, let name?): "Hello \(name),"
        case (.friendly, nil): "Hello,"
        case (_, let name?): "Dear \(name),"
        case (_, nil): "Dear Sir or Madam,"
        }
    }

    func intro(_ p: ReminderPhrasing) -> String {
        let invoice = p.isSingle ? "invoice" : "invoices"
        let remains = p.isSingle ? "remains" : "remain"
        switch p.tone {
        case .friendly:
            if let earlier = p.previousReminderOn {
                return "We wrote to you on \(earlier) about the following \(invoice). According to our records, \(p.isSingle ? "it is" : "they are") still open:"
            }
            if p.allUpcoming {
                return "This is a short reminder that the following \(invoice) \(p.isSingle ? "is" : "are") due for payment soon:"
            }
            return "We hope you are well. According to our records, the following \(invoice) \(p.isSingle ? "is" : "are") still open:"
        case .firm:
            if let earlier = p.previousReminderOn {
                return "We wrote to you on \(earlier) about the following \(invoice), which \(remains) unpaid:"
            }
            return "Our records show that the following \(invoice) \(remains) unpaid:"
        case .urgent:
            if let earlier = p.previousReminderOn {
                return "Despite our reminder of \(earlier), the following \(invoice) \(remains) unpaid:"
            }
            return "We need your urgent attention to the following \(invoice), which \(remains) unpaid:"
        case .formal:
            let despite = p.previousReminderOn.map { " despite our reminder of \($0)" } ?? ""
            return "We refer to the following \(invoice), which \(remains) unpaid\(despite):"
        }
    }

    func standing(daysOverdue days: Int) -> String {
        switch days {
        case 1...: "\(days) \(days == 1 ? "day" : "days") overdue"
        case 0: "due today"
        default: "due in \(-days) \(days == -1 ? "day" : "days")"
        }
    }

    func invoiceLine(_ line: ReminderPhrasing.InvoiceLine) -> String {
        "Invoice \(line.number): \(line.amount), due \(line.dueOn) (\(standing(daysOverdue: line.daysOverdue)))"
    }

    func total(_ totals: [String]) -> String {
        "Total outstanding: " + list(totals)
    }

    func payment(amount: String, receivedOn: String) -> String {
        "Thank you for your payment of \(amount), which we received on \(receivedOn). The amounts above already take it into account."
    }

    func promise(_ note: ReminderPhrasing.PromiseNote) -> String {
        switch note {
        case .kept(let date):
            return "Thank you for making the payment you had promised for \(date)."
        case .broken(let amount, let date):
            let payment = amount.map { "payment of \($0)" } ?? "payment"
            return "You let us know that \(payment) would be made by \(date). We have not received it yet, so we would be grateful if you could tell us where things stand."
        case .active(let amount, let date):
            let what = amount.map { "to pay \($0)" } ?? "to pay"
            return "We have noted your commitment \(what) by \(date); thank you for letting us know."
        }
    }

    func request(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            let when = p.payBy.map { "by \($0)" } ?? "at your earliest convenience"
            return "If you have already arranged payment, thank you, and please disregard this message. Otherwise, we would be grateful if you could arrange payment \(when)."
        case .firm:
            let when = p.payBy.map { "by \($0)" } ?? "as soon as possible"
            return "Please arrange payment \(when), or reply to this email to let us know when we can expect it."
        case .urgent:
            let when = p.payBy.map { "by \($0)" } ?? "without further delay"
            return "Please arrange payment \(when), or contact us straight away if there is a reason why it cannot be made."
        case .formal:
            let balance = p.singleTotal.map { "the outstanding balance of \($0)" } ?? "the outstanding balance"
            let when = p.payBy.map { "by \($0)" } ?? "without further delay"
            return "We therefore ask you to pay \(balance) \(when)."
        }
    }

    func help(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            return "If you have any questions, or need a copy of \(p.isSingle ? "the invoice" : "an invoice"), simply reply to this email."
        case .firm:
            return p.isSingle
                ? "If there is a problem with this invoice, please tell us what it is, so that we can sort it out."
                : "If there is a problem with any of these invoices, please tell us which one and why, so that we can sort it out."
        case .urgent:
            return p.isSingle
                ? "If you dispute this amount, please let us know the reason by reply, so that we can look into it straight away."
                : "If you dispute any of these amounts, please let us know the invoice and the reason by reply, so that we can look into it straight away."
        case .formal:
            return "If you believe that \(p.isSingle ? "this amount is" : "any of these amounts is") not owed, please set out your reasons in writing in reply to this email."
        }
    }

    func consequence(_ p: ReminderPhrasing) -> String? {
        switch p.tone {
        case .friendly:
            return nil
        case .firm:
            return "Please note that we will continue to follow up until the account is settled."
        case .urgent:
            let by = p.payBy.map { " by \($0)" } ?? " soon"
            return "If we do not receive payment or hear from you\(by), we will have to pass the matter on for further action in line with our terms of payment."
        case .formal:
            return "Should the balance remain unpaid, we reserve the right to take further steps to recover it, as provided for in our terms of payment."
        }
    }

    func closing(_ p: ReminderPhrasing) -> String {
        switch (p.tone, p.contactName) {
        case (.formal, nil): "Yours faithfully,"
        case (.formal, _): "Yours sincerely,"
        default: "Kind regards,"
        }
    }

    func list(_ items: [String]) -> String { joined(items, and: "and") }
}
