import AgentKit
import Dunning
import Foundation
import Mail
import Testing

struct ReminderComposerTests {
    typealias F = ReminderFixtures
    let composer = ReminderComposer()
    let nbsp = "\u{00A0}"

    @Test func englishNamesEachInvoiceWithAmountDueDateAndDaysOverdue() throws {
        let mail = composer.compose(F.request(language: .english, tone: .firm)).mail
        #expect(mail.subject == "Outstanding payment: invoices INV-2026-001 and INV-2026-007")
        #expect(mail.textBody.hasPrefix("Dear Jane Roe,\n\nOur records show that the following invoices remain unpaid:\n\n"))
        #expect(mail.textBody.contains("- Invoice INV-2026-001: EUR\(nbsp)1,234.50, due 15\(nbsp)March 2026 (20 days overdue)\n"))
        #expect(mail.textBody.contains("- Invoice INV-2026-007: EUR\(nbsp)250.00, due 1\(nbsp)April 2026 (3 days overdue)\n"))
        #expect(mail.textBody.contains("Total outstanding: EUR\(nbsp)1,484.50\nCustomer number: C-1042"))
        #expect(mail.textBody.contains("IBAN DE02 1203 0000 0000 2020 51"))
        #expect(mail.textBody.hasSuffix("Kind regards,\n\nJana Weber\nAccounts Receivable\nAcme GmbH\n"))
        #expect(mail.htmlBody?.contains("<td>INV-2026-001</td><td>EUR\(nbsp)1,234.50</td><td>15\(nbsp)March 2026</td><td>20 days overdue</td>") == true)
    }

    @Test func germanWritesGermanAmountsDatesAndLetterConventions() {
        let mail = composer.compose(F.request(language: .german, tone: .firm)).mail
        #expect(mail.subject == "Offene Zahlung: Rechnungen INV-2026-001 und INV-2026-007")
        // After the salutation's comma the letter continues in lower case.
        #expect(mail.textBody.hasPrefix("Guten Tag Jane Roe,\n\nnach unseren Unterlagen sind die folgenden Rechnungen noch nicht beglichen:\n\n"))
        #expect(mail.textBody.contains("- Rechnung INV-2026-001: 1.234,50\(nbsp)EUR, fällig am 15.\(nbsp)März 2026 (seit 20 Tagen überfällig)\n"))
        #expect(mail.textBody.contains("- Rechnung INV-2026-007: 250,00\(nbsp)EUR, fällig am 1.\(nbsp)April 2026 (seit 3 Tagen überfällig)\n"))
        #expect(mail.textBody.contains("Offener Gesamtbetrag: 1.484,50\(nbsp)EUR\nKundennummer: C-1042"))
        #expect(mail.textBody.contains("\n\nFreundliche Grüße\n\nJana Weber\n"))
    }

    @Test func frenchWritesFrenchAmountsDatesAndTypography() {
        let mail = composer.compose(F.request(language: .french, tone: .firm, invoices: [
            ReminderInvoice(number: "FA-2026-17", openAmount: F.euros(123_450), dueOn: F.date("2026-03-01")),
        ])).mail
        #expect(mail.subject == "Relance de paiement\(nbsp): facture FA-2026-17")
        #expect(mail.textBody.hasPrefix("Bonjour Jane Roe,\n\nSauf erreur de notre part, la facture suivante n’a pas encore été réglée\(nbsp):\n\n"))
        #expect(mail.textBody.contains("- Facture FA-2026-17\(nbsp): 1\(nbsp)234,50\(nbsp)EUR, échéance le 1er\(nbsp)mars 2026 (en retard de 34 jours)\n"))
        // One invoice: no total line, which would only repeat its amount.
        #expect(!mail.textBody.contains("Total à régler"))
        #expect(mail.textBody.contains("\n\nCordialement,\n\nJana Weber\n"))
    }

    @Test(arguments: ReminderLanguage.allCases, Tone.allCases)
    func everyTemplateNamesEveryInvoiceAndPassesItsOwnFactCheck(language: ReminderLanguage, tone: Tone) throws {
        let history = ReminderHistory(
            recentPayment: ReceivedPayment(amount: F.euros(10_000), receivedOn: F.date("2026-03-30")),
            promise: PromiseToPay(promisedOn: F.date("2026-03-31"), amount: F.euros(25_000), status: .broken),
            previousReminderOn: F.date("2026-03-25"))
        for payBy in [nil, F.date("2026-04-14")] {
            let composed = composer.compose(F.request(language: language, tone: tone, history: history, payBy: payBy))
            let text = composed.mail.textBody
            for invoice in F.invoices {
                #expect(text.contains(invoice.number))
                #expect(text.contains(language.format(invoice.openAmount)))
                #expect(text.contains(language.format(invoice.dueOn)))
            }
            for fact in [F.date("2026-03-30"), F.date("2026-03-31"), F.date("2026-03-25")] {
                #expect(text.contains(language.format(fact)), "\(language) \(tone) omits \(fact)")
            }
            if let payBy { #expect(text.contains(language.format(payBy))) }
            // The template's own wording, minus the tenant's payment details, passes the check a
            // language model's draft must pass.
            let body = text.replacingOccurrences(of: F.sender.paymentInstructions!, with: "")
            let verdict = FactGuardrail(facts: composed.facts).check(body)
            #expect(verdict.isAccepted, "\(language) \(tone): \(verdict.problems)")
            // The HTML part says the same.
            let html = try #require(composed.mail.htmlBody)
            #expect(html.contains("<html lang=\"\(language.rawValue)\">"))
            for invoice in F.invoices { #expect(html.contains("<td>\(invoice.number)</td>")) }
        }
    }

    @Test func historyIsAcknowledgedInPlainWords() {
        let payment = ReminderHistory(recentPayment: ReceivedPayment(amount: F.euros(10_000), receivedOn: F.date("2026-03-30")))
        #expect(composer.compose(F.request(history: payment)).mail.textBody.contains(
            "Thank you for your payment of EUR\(nbsp)100.00, which we received on 30\(nbsp)March 2026. The amounts above already take it into account."))

        let broken = ReminderHistory(promise: PromiseToPay(promisedOn: F.date("2026-03-31"), amount: F.euros(25_000), status: .broken))
        #expect(composer.compose(F.request(language: .german, history: broken)).mail.textBody.contains(
            "Sie hatten uns mitgeteilt, dass die Zahlung über 250,00\(nbsp)EUR bis zum 31.\(nbsp)März 2026 erfolgen würde."))

        let kept = ReminderHistory(promise: PromiseToPay(promisedOn: F.date("2026-03-20"), status: .kept))
        #expect(composer.compose(F.request(language: .french, history: kept)).mail.textBody.contains(
            "Nous vous remercions d’avoir effectué le paiement annoncé pour le 20\(nbsp)mars 2026."))

        let earlier = ReminderHistory(previousReminderOn: F.date("2026-03-25"))
        #expect(composer.compose(F.request(tone: .urgent, history: earlier)).mail.textBody.contains(
            "Despite our reminder of 25\(nbsp)March 2026, the following invoices remain unpaid:"))
    }

    @Test func invoicesNotYetDueAreAnnouncedNotChased() {
        let upcoming = [ReminderInvoice(number: "INV-2026-020", openAmount: F.euros(99_000), dueOn: F.date("2026-04-07"))]
        let text = composer.compose(F.request(tone: .friendly, invoices: upcoming)).mail.textBody
        #expect(text.contains("This is a short reminder that the following invoice is due for payment soon:"))
        #expect(text.contains("(due in 3 days)"))
        #expect(!text.contains("overdue"))
    }

    @Test func eachCurrencyIsTotalledSeparately() {
        let mixed = F.invoices + [ReminderInvoice(number: "INV-2026-009", openAmount: Money(minorUnits: 120_000, currency: "JPY"), dueOn: F.date("2026-03-20"))]
        let text = composer.compose(F.request(language: .german, invoices: mixed)).mail.textBody
        #expect(text.contains("Offener Gesamtbetrag: 1.484,50\(nbsp)EUR und 120.000\(nbsp)JPY"))
    }

    @Test func withoutAContactNameTheGreetingIsGeneric() {
        #expect(composer.compose(F.request(tone: .formal, contactName: nil)).mail.textBody.hasPrefix("Dear Sir or Madam,"))
        #expect(composer.compose(F.request(language: .german, tone: .urgent, contactName: nil)).mail.textBody.hasPrefix("Sehr geehrte Damen und Herren,"))
        #expect(composer.compose(F.request(language: .french, tone: .formal)).mail.textBody.hasPrefix("Madame, Monsieur,"))
    }

    @Test func aReminderContinuesTheCustomersThread() throws {
        let thread = MailThread(lastMessageID: "reply-2@beta.example", references: ["first@acme.example", "reply-1@beta.example"],
                                subject: "AW: Re: Zahlungserinnerung: Rechnung INV-2026-001")
        let mail = composer.compose(F.request(language: .german, thread: thread)).mail
        #expect(mail.subject == "Re: Zahlungserinnerung: Rechnung INV-2026-001")

        let parsed = try ParsedMessage(parsing: mail.rendered())
        #expect(parsed.inReplyTo == ["reply-2@beta.example"])
        #expect(parsed.references == ["first@acme.example", "reply-1@beta.example", "reply-2@beta.example"])
        #expect(parsed.from.first?.address == "ar@acme.example")
        #expect(parsed.subject == "Re: Zahlungserinnerung: Rechnung INV-2026-001")
        #expect(parsed.plainBody?.contains("seit 20 Tagen überfällig") == true)
        #expect(parsed.htmlBody?.contains("<table") == true)

        let fresh = composer.compose(F.request(thread: MailThread(lastMessageID: "x@beta.example"))).mail
        #expect(fresh.subject == "Re: Outstanding payment: invoices INV-2026-001 and INV-2026-007")
    }

    @Test func theSameTaskAndStepAlwaysGiveTheSameMessage() {
        let first = composer.compose(F.request()).mail
        #expect(first.messageID == MessageID.deterministic(taskID: "task-4711", step: "reminder", domain: "acme.example"))
        #expect(composer.compose(F.request()).mail.rendered() == first.rendered())
        #expect(composer.compose(F.request(step: "reminder-2")).mail.messageID != first.messageID)
    }

    @Test func consumersGetAnOptOutLineAndHeader() throws {
        let mail = composer.compose(F.request(tone: .friendly, optOut: true)).mail
        #expect(mail.textBody.contains("reply with the word STOP"))
        let parsed = try ParsedMessage(parsing: mail.rendered())
        #expect(parsed.headers["List-Unsubscribe"] == "<mailto:ar@acme.example?subject=STOP>")
        #expect(!composer.compose(F.request(tone: .friendly)).mail.textBody.contains("STOP"))
    }

    @Test func firmerTonesStateConsequencesWithoutThreats() {
        for language in ReminderLanguage.allCases {
            let friendly = composer.compose(F.request(language: language, tone: .friendly)).mail.textBody
            let urgent = composer.compose(F.request(language: language, tone: .urgent)).mail.textBody
            #expect(urgent.count > friendly.count)
            for word in ["lawyer", "court", "Anwalt", "Gericht", "Inkasso", "avocat", "tribunal", "huissier", "!"] {
                #expect(!urgent.contains(word), "\(language) mentions \(word)")
            }
        }
    }
}
