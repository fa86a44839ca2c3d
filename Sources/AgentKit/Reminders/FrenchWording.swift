/// Vouvoiement; a non-breaking space before « : », « ; » and « ? », as French typography wants.
struct FrenchWording: ReminderWording {
    let language = ReminderLanguage.french
    let teamName = "Service comptabilité clients"
    let tableHeader = ["Facture", "Montant", "Échéance", "Statut"]
    let optOutLine = "Si vous ne souhaitez plus recevoir ces rappels par e-mail, répondez simplement STOP à ce message\u{00A0}; nous cesserons alors de vous écrire par e-mail."

    func accountReference(_ reference: String) -> String { "Numéro client\u{00A0}: \(reference)" }

    private let colon = "\u{00A0}:"

    func subject(_ p: ReminderPhrasing) -> String {
        let numbers = p.invoices.map(\.number)
        let invoices = (p.isSingle ? "facture " : "factures ") + invoiceReference(numbers) { "\($0) autres" }
        switch p.tone {
        case .friendly: return "Rappel de paiement\(colon) \(invoices)"
        case .firm: return "Relance de paiement\(colon) \(invoices)"
        case .urgent: return "Urgent\(colon) paiement en attente pour \(p.isSingle ? "la" : "les") \(invoices)"
        case .formal: return "Relance formelle\(colon) \(invoices)"
        }
    }

    func greeting(_ p: ReminderPhrasing) -> String {
        switch (p.tone, p.contactName) {
        case (.friendly, let name?), (.firm, let name?): "Bonjour \(name),"
        case (.friendly, nil), (.firm, nil): "Bonjour,"
        default: "Madame, Monsieur,"
        }
    }

    func intro(_ p: ReminderPhrasing) -> String {
        let theInvoice = p.isSingle ? "la facture suivante" : "les factures suivantes"
        let unpaid = p.isSingle ? "impayée" : "impayées"
        let remains = p.isSingle ? "reste" : "restent"
        switch p.tone {
        case .friendly:
            if let earlier = p.previousReminderOn {
                return "Nous vous avons écrit le \(earlier) au sujet \(p.isSingle ? "de la facture suivante" : "des factures suivantes"). Sauf erreur de notre part, \(p.isSingle ? "elle reste" : "elles restent") à régler\(colon)"
            }
            if p.allUpcoming {
                return "Nous nous permettons de vous rappeler que \(theInvoice) \(p.isSingle ? "arrive" : "arrivent") bientôt à échéance\(colon)"
            }
            return "Sauf erreur de notre part, \(theInvoice) \(remains) à régler\(colon)"
        case .firm:
            if let earlier = p.previousReminderOn {
                return "Nous vous avons écrit le \(earlier) au sujet \(p.isSingle ? "de la facture suivante, qui reste" : "des factures suivantes, qui restent") \(unpaid) à ce jour\(colon)"
            }
            return "Sauf erreur de notre part, \(theInvoice) \(p.isSingle ? "n’a" : "n’ont") pas encore été \(p.isSingle ? "réglée" : "réglées")\(colon)"
        case .urgent:
            if let earlier = p.previousReminderOn {
                return "Malgré notre relance du \(earlier), \(theInvoice) \(remains) \(unpaid)\(colon)"
            }
            return "Nous attirons votre attention sur \(theInvoice), qui \(remains) \(unpaid)\(colon)"
        case .formal:
            let despite = p.previousReminderOn.map { " malgré notre relance du \($0)" } ?? ""
            let toTheInvoice = p.isSingle ? "à la facture suivante" : "aux factures suivantes"
            return "Nous nous référons \(toTheInvoice), qui \(remains) \(unpaid)\(despite)\(colon)"
        }
    }

    func standing(daysOverdue days: Int) -> String {
        switch days {
        case 1...: "en retard de \(days) \(days == 1 ? "jour" : "jours")"
        case 0: "échéance aujourd’hui"
        default: "échéance dans \(-days) \(days == -1 ? "jour" : "jours")"
        }
    }

    func invoiceLine(_ line: ReminderPhrasing.InvoiceLine) -> String {
        "Facture \(line.number)\(colon) \(line.amount), échéance le \(line.dueOn) (\(standing(daysOverdue: line.daysOverdue)))"
    }

    func total(_ totals: [String]) -> String {
        "Total à régler\(colon) " + list(totals)
    }

    func payment(amount: String, receivedOn: String) -> String {
        "Nous vous remercions pour votre paiement de \(amount), reçu le \(receivedOn). Il est déjà pris en compte dans les montants ci-dessus."
    }

    func promise(_ note: ReminderPhrasing.PromiseNote) -> String {
        switch note {
        case .kept(let date):
            return "Nous vous remercions d’avoir effectué le paiement annoncé pour le \(date)."
        case .broken(let amount, let date):
            let payment = amount.map { "le paiement de \($0)" } ?? "le paiement"
            return "Vous nous aviez indiqué que \(payment) serait effectué au plus tard le \(date). Nous ne l’avons pas encore reçu\u{00A0}; pourriez-vous nous indiquer où en est ce règlement\u{00A0}?"
        case .active(let amount, let date):
            let what = amount.map { " \($0)" } ?? ""
            return "Nous avons bien noté votre engagement de régler\(what) au plus tard le \(date) et vous en remercions."
        }
    }

    func request(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            let when = p.payBy.map { "au plus tard le \($0)" } ?? "dès que possible"
            return "Si le règlement a déjà été effectué, nous vous en remercions et vous prions de ne pas tenir compte de ce message. Dans le cas contraire, nous vous serions reconnaissants de bien vouloir procéder au paiement \(when)."
        case .firm:
            let when = p.payBy.map { "au plus tard le \($0)" } ?? "dans les meilleurs délais"
            return "Nous vous remercions de bien vouloir procéder au règlement \(when), ou de nous indiquer en réponse à ce message la date à laquelle nous pouvons l’attendre."
        case .urgent:
            let when = p.payBy.map { "au plus tard le \($0)" } ?? "sans délai"
            return "Nous vous demandons de procéder au règlement \(when), ou de nous contacter immédiatement si un motif s’y oppose."
        case .formal:
            let balance = p.singleTotal.map { "le solde de \($0)" } ?? "le solde dû"
            let when = p.payBy.map { "au plus tard le \($0)" } ?? "sans délai"
            return "Nous vous prions en conséquence de régler \(balance) \(when)."
        }
    }

    func help(_ p: ReminderPhrasing) -> String {
        switch p.tone {
        case .friendly:
            return "Pour toute question, ou si vous avez besoin d’une copie \(p.isSingle ? "de la facture" : "d’une facture"), il vous suffit de répondre à ce message."
        case .firm:
            return p.isSingle
                ? "Si cette facture pose un problème, merci de nous en indiquer la raison afin que nous puissions le régler."
                : "Si l’une de ces factures pose un problème, merci de nous préciser laquelle et pour quelle raison, afin que nous puissions le régler."
        case .urgent:
            return p.isSingle
                ? "Si vous contestez ce montant, merci de nous en indiquer la raison en réponse à ce message, afin que nous puissions examiner la situation sans attendre."
                : "Si vous contestez l’un de ces montants, merci de nous indiquer la facture concernée et la raison en réponse à ce message, afin que nous puissions examiner la situation sans attendre."
        case .formal:
            return "Si vous estimez que \(p.isSingle ? "ce montant" : "l’un de ces montants") n’est pas dû, merci de nous en exposer les motifs par écrit en réponse à ce message."
        }
    }

    func consequence(_ p: ReminderPhrasing) -> String? {
        switch p.tone {
        case .friendly:
            return nil
        case .firm:
            return "Nous continuerons à assurer le suivi de ce dossier jusqu’à son règlement complet."
        case .urgent:
            let by = p.payBy.map { "d’ici le \($0)" } ?? "rapidement"
            return "À défaut de paiement ou de réponse de votre part \(by), nous serons contraints de donner suite à ce dossier conformément à nos conditions de paiement."
        case .formal:
            return "À défaut de règlement, nous nous réservons le droit d’engager les démarches prévues par nos conditions de paiement pour recouvrer cette somme."
        }
    }

    func closing(_ p: ReminderPhrasing) -> String {
        p.tone == .formal ? "Veuillez agréer nos salutations distinguées." : "Cordialement,"
    }

    func list(_ items: [String]) -> String { joined(items, and: "et") }
}
