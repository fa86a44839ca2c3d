import Dunning

/// The labels of an owner notice in each language. The decision's reasons stay as written.
struct OwnerNoticeWording {
    let language: ReminderLanguage

    func subject(customer: String, overdue: String?, level: Int) -> String {
        let amount = overdue.map { ", " + $0 } ?? ""
        switch language {
        case .english: return "Needs your attention: \(customer)\(amount) overdue (escalation level \(level))"
        case .german: return "Bitte übernehmen: \(customer)\(amount) überfällig (Eskalationsstufe \(level))"
        case .french: return "À traiter\u{00A0}: \(customer)\(amount) en retard (niveau d’escalade \(level))"
        }
    }

    func greeting(_ name: String?) -> String {
        switch language {
        case .english: name.map { "Hello \($0)," } ?? "Hello,"
        case .german: name.map { "Guten Tag \($0)," } ?? "Guten Tag,"
        case .french: name.map { "Bonjour \($0)," } ?? "Bonjour,"
        }
    }

    func intro(customer: String, reference: String?, level: Int) -> String {
        switch language {
        case .english:
            let number = reference.map { " (customer number \($0))" } ?? ""
            return "\(customer)\(number) has reached escalation level \(level) and needs your attention."
        case .german:
            let number = reference.map { " (Kundennummer \($0))" } ?? ""
            return "\(customer)\(number) hat die Eskalationsstufe \(level) erreicht und braucht Ihre Aufmerksamkeit."
        case .french:
            let number = reference.map { " (numéro client \($0))" } ?? ""
            return "\(customer)\(number) a atteint le niveau d’escalade \(level) et requiert votre attention."
        }
    }

    var why: String { label("Why now", "Warum jetzt", "Pourquoi maintenant") }
    var overdue: String { label("Overdue", "Überfällig", "En retard") }
    var nothingOverdue: String { label("nothing", "nichts", "rien") }
    var oldestInvoice: String { label("Oldest invoice", "Älteste Rechnung", "Facture la plus ancienne") }
    var openInvoices: String { label("Open invoices", "Offene Rechnungen", "Factures ouvertes") }
    var disputed: String { label("disputed", "bestritten", "contestée") }
    var promises: String { label("Promises to pay", "Zahlungszusagen", "Promesses de paiement") }
    var noPromises: String { label("none.", "keine.", "aucune.") }
    var messages: String { label("Latest messages", "Letzte Nachrichten", "Derniers messages") }
    var noMessages: String { label("none yet.", "noch keine.", "aucun pour l’instant.") }
    var actions: String { label("What the agents did", "Was die Agenten getan haben", "Ce que les agents ont fait") }
    var noActions: String { label("nothing yet.", "noch nichts.", "rien pour l’instant.") }

    func paused(_ isPaused: Bool) -> String {
        isPaused
            ? label("Automated reminders to this customer are paused while you handle it.",
                    "Automatische Erinnerungen an diesen Kunden ruhen, solange Sie den Fall bearbeiten.",
                    "Les relances automatiques de ce client sont suspendues pendant que vous traitez le dossier.")
            : label("Automated reminders continue unless you pause them.",
                    "Automatische Erinnerungen laufen weiter, solange Sie sie nicht anhalten.",
                    "Les relances automatiques continuent, sauf si vous les suspendez.")
    }

    /// A label followed by its colon, with French spacing.
    func heading(_ label: String) -> String {
        label + (language == .french ? "\u{00A0}:" : ":")
    }

    func invoice(_ number: String, amount: String, due: String, standing: String) -> String {
        switch language {
        case .english: "\(number), \(amount), due \(due) (\(standing))"
        case .german: "\(number), \(amount), fällig am \(due) (\(standing))"
        case .french: "\(number), \(amount), échéance le \(due) (\(standing))"
        }
    }

    func promise(amount: String?, due: String, status: PromiseStatus) -> String {
        let statusText: String = switch (language, status) {
        case (.english, .active): "open"
        case (.english, .kept): "kept"
        case (.english, .broken): "broken"
        case (.english, .cancelled): "cancelled"
        case (.german, .active): "offen"
        case (.german, .kept): "eingehalten"
        case (.german, .broken): "nicht eingehalten"
        case (.german, .cancelled): "zurückgezogen"
        case (.french, .active): "en cours"
        case (.french, .kept): "tenue"
        case (.french, .broken): "non tenue"
        case (.french, .cancelled): "annulée"
        }
        switch language {
        case .english: return "\(amount ?? "Payment") by \(due): \(statusText)"
        case .german: return "\(amount ?? "Zahlung") bis \(due): \(statusText)"
        case .french: return "\(amount ?? "Paiement") au plus tard le \(due)\u{00A0}: \(statusText)"
        }
    }

    func message(_ direction: ThreadMessage.Direction, when: String, counterpart: String) -> String {
        switch (language, direction) {
        case (.english, .outbound): "\(when), sent to \(counterpart)"
        case (.english, .inbound): "\(when), received from \(counterpart)"
        case (.german, .outbound): "\(when), gesendet an \(counterpart)"
        case (.german, .inbound): "\(when), erhalten von \(counterpart)"
        case (.french, .outbound): "\(when), envoyé à \(counterpart)"
        case (.french, .inbound): "\(when), reçu de \(counterpart)"
        }
    }

    private func label(_ english: String, _ german: String, _ french: String) -> String {
        switch language {
        case .english: english
        case .german: german
        case .french: french
        }
    }
}
