/// Sie-Form. After the salutation's comma the letter continues in lower case, and the closing
/// formula takes no comma, as DIN 5008 has it.
struct GermanWording: ReminderWording {
    let language = ReminderLanguage.german
    let teamName = "Debitorenbuchhaltung"
    let tableHeader = ["Rechnung", "Betrag", "Fällig am", "Stand"]
    let optOutLine = "Wenn Sie keine Zahlungserinnerungen mehr per E-Mail erhalten möchten, antworten Sie bitte mit dem Wort STOP; wir schreiben Ihnen dann nicht mehr per E-Mail."

    func accountReference(_ reference: String) -> String { "Kundennummer: \(reference)" }

    func subject(_ p: ReminderPhrasing) -> String {
        let numbers = p.invoices.map(\.number)
        let invoices = (p.isSingle ? "Rechnung " : "Rechnungen ") + invoiceReference(numbers) { "\($0) weitere" }
        switch p.tone {
        case .friendly: return "Zahlungserinnerung: \(invoices)"
        case .firm: return "Offene Zahlung: \(invoices)"
        case .urgent: return "Dringend: offene Zahlung für \(invoices)"
        case .formal: return "Mahnung: \(invoices)"
        }
    }

    func greeting(_ p: ReminderPhrasing) -> String {
        switch (p.tone, p.contactName) {
        case (_, let name?): "Guten Tag \(name),"
        case (.friendly, nil): "Guten Tag,"
        case (_, nil): "Sehr geehrte Damen und Herren,"
        }
    }

    func intro(_ p: ReminderPhrasing) -> String {
        let theInvoice = p.isSingle ? "die folgende Rechnung" : "die folgenden Rechnungen"
        let isOrAre = p.isSingle ? "ist" : "sind"
        switch p.tone {
        case .friendly:
            if let earlier = p.previousReminderOn {
                return "wir hatten Ihnen am \(earlier) wegen \(p.isSingle ? "der folgenden Rechnung" : "der folgenden Rechnungen") geschrieben. Nach unseren Unterlagen \(isOrAre) sie noch offen:"
            }
            if p.allUpcoming {
                return "wir möchten Sie freundlich daran erinnern, dass \(theInvoice) bald fällig \(p.isSingle ? "wird" : "werden"):"
            }
            return "bei der Durchsicht unserer offenen Posten ist uns aufgefallen, dass \(theInvoice) noch offen \(isOrAre):"
        case .firm:
            if let earlier = p.previousReminderOn {
                return "mit unserer Nachricht vom \(earlier) haben wir Sie an \(theInvoice) erinnert. Leider konnten wir bisher keinen Zahlungseingang feststellen:"
            }
            return "nach unseren Unterlagen \(isOrAre) \(theInvoice) noch nicht beglichen:"
        case .urgent:
            if let earlier = p.previousReminderOn {
                return "trotz unserer Erinnerung vom \(earlier) \(isOrAre) \(theInvoice) weiterhin unbezahlt:"
            }
            return "wir müssen Sie dringend auf \(theInvoice) hinweisen, die weiterhin unbezahlt \(isOrAre):"
        case .formal:
            let reference = p.isSingle ? "die folgende von uns gestellte Rechnung" : "die folgenden von uns gestellten Rechnungen"
            let despite = p.previousReminderOn.map { " trotz unserer Erinnerung vom \($0)" } ?? ""
            return "wir beziehen uns auf \(reference), die\(despite) weiterhin offen \(isOrAre):"
        }
    }

    func standing(daysOverdue days: Int) -> String {
        switch days {
        case 1...: "seit \(days) \(days == 1 ? "Tag" : "Tagen") überfällig"
        case 0: "heute fällig"
        default: "fällig in \(-days) \(days == -1 ? "Tag" : "Tagen")"
        }
    }

    func invoiceLine(_ line: ReminderPhrasing.InvoiceLine) -> String {
        "Rechnung \(line.number): \(line.amount), fällig am \(line.dueOn) (\(standing(daysOverdue: line.daysOverdue)))"
    }

    func total(_ totals: [String]) -> String {
        "Offener Gesamtbetrag: " + list(totals)
    }

    func payment(amount: String, receivedOn: String) -> String {
        "Vielen Dank für Ihre Zahlung über \(amount), die am \(receivedOn) bei uns eingegangen ist. Sie ist in den obigen Beträgen bereits berücksichtigt."
    }

    func promise(_ note: ReminderPhrasing.PromiseNote) -> String {
        switch note {
        case .kept(let date):
            return "Vielen Dank, dass Sie die für den \(date) zugesagte Zahlung geleistet haben."
        case .broken(let amount, let date):
            let payment = amount.map { "die Zahlung über \($0)" } ?? "die Zahlung"
            return "Sie hatten uns mitgeteilt, dass \(payment) bis zum \(date) erfolgen würde. Leider ist sie bisher nicht bei uns eingegangen. Bitte teilen Sie uns mit, wie der aktuelle Stand ist."
        case .active(let amount, let date):
            let what = amount.map { "\($0) " } ?? ""
            return "Wir haben Ihre Zusage notiert, \(what)bis zum \(date) zu zahlen; vielen Dank dafür."
        }
    }

    func request(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            let when = p.payBy.map { "bis zum \($0)" } ?? "zeitnah"
            return "Sollten Sie die Zahlung bereits veranlasst haben, danken wir Ihnen und bitten Sie, diese Nachricht als gegenstandslos zu betrachten. Andernfalls bitten wir Sie, den offenen Betrag \(when) zu überweisen."
        case .firm:
            let when = p.payBy.map { "bis zum \($0)" } ?? "so bald wie möglich"
            return "Bitte überweisen Sie den offenen Betrag \(when) oder teilen Sie uns in einer Antwort auf diese E-Mail mit, wann wir mit der Zahlung rechnen können."
        case .urgent:
            let when = p.payBy.map { "bis zum \($0)" } ?? "umgehend"
            return "Bitte begleichen Sie den offenen Betrag \(when) oder setzen Sie sich sofort mit uns in Verbindung, falls der Zahlung etwas entgegensteht."
        case .formal:
            let balance = p.singleTotal.map { "den offenen Betrag von \($0)" } ?? "den offenen Betrag"
            let when = p.payBy.map { "bis zum \($0)" } ?? "unverzüglich"
            return "Wir fordern Sie hiermit auf, \(balance) \(when) zu begleichen."
        }
    }

    func help(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            return "Bei Fragen oder wenn Sie eine Kopie \(p.isSingle ? "der Rechnung" : "einer Rechnung") benötigen, antworten Sie einfach auf diese E-Mail."
        case .firm:
            return p.isSingle
                ? "Falls es mit dieser Rechnung ein Problem gibt, teilen Sie uns bitte mit, worum es geht, damit wir es klären können."
                : "Falls es mit einer dieser Rechnungen ein Problem gibt, teilen Sie uns bitte mit, um welche es sich handelt und worum es geht, damit wir es klären können."
        case .urgent:
            return p.isSingle
                ? "Falls Sie den Betrag beanstanden, nennen Sie uns bitte in Ihrer Antwort den Grund, damit wir der Sache sofort nachgehen können."
                : "Falls Sie einen dieser Beträge beanstanden, nennen Sie uns bitte in Ihrer Antwort die Rechnung und den Grund, damit wir der Sache sofort nachgehen können."
        case .formal:
            return "Sollten Sie der Auffassung sein, dass \(p.isSingle ? "der Betrag" : "einer dieser Beträge") nicht geschuldet ist, teilen Sie uns bitte Ihre Gründe schriftlich in einer Antwort auf diese E-Mail mit."
        }
    }

    func consequence(_ p: ReminderPhrasing) -> String? {
        switch p.tone {
        case .friendly:
            return nil
        case .firm:
            return "Bitte haben Sie Verständnis dafür, dass wir uns bis zum Ausgleich des Kontos weiter bei Ihnen melden werden."
        case .urgent:
            let by = p.payBy.map { "bis zum \($0)" } ?? "in Kürze"
            return "Sollten wir \(by) weder eine Zahlung noch eine Nachricht von Ihnen erhalten, müssen wir die Angelegenheit gemäß unseren Zahlungsbedingungen weiterverfolgen."
        case .formal:
            return "Sollte der Betrag offen bleiben, behalten wir uns vor, gemäß unseren Zahlungsbedingungen weitere Schritte zur Durchsetzung unserer Forderung einzuleiten."
        }
    }

    func closing(_ p: ReminderPhrasing) -> String {
        p.tone == .formal ? "Mit freundlichen Grüßen" : "Freundliche Grüße"
    }

    func list(_ items: [String]) -> String { joined(items, and: "und") }
}
