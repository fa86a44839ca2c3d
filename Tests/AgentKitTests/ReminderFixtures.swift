import AgentKit
import Dunning
import Foundation
import Mail

/// A supplier (Acme) reminding a customer (Beta) of two invoices on 4 April 2026, Berlin time.
enum ReminderFixtures {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// 2026-04-04 09:00 in Berlin.
    static let now = Date(timeIntervalSince1970: 1_775_286_000)

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static func euros(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: "EUR") }

    static let sender = SenderIdentity(
        address: MailAddress("ar@acme.example", name: "Acme Accounts Receivable"),
        companyName: "Acme GmbH",
        signature: ["Jana Weber", "Accounts Receivable", "Acme GmbH"],
        paymentInstructions: "IBAN DE02 1203 0000 0000 2020 51, BIC BYLADEM1001")

    static let invoices = [
        ReminderInvoice(number: "INV-2026-001", openAmount: euros(123_450), dueOn: date("2026-03-15")),
        ReminderInvoice(number: "INV-2026-007", openAmount: euros(25_000), dueOn: date("2026-04-01")),
    ]

    static func request(
        language: ReminderLanguage = .english, tone: Tone = .firm, invoices: [ReminderInvoice] = invoices,
        history: ReminderHistory = ReminderHistory(), payBy: CalendarDate? = nil, optOut: Bool = false,
        thread: MailThread? = nil, contactName: String? = "Jane Roe", step: String = "reminder"
    ) -> ReminderRequest {
        ReminderRequest(
            sender: sender,
            customer: ReminderCustomer(name: "Beta Ltd", accountReference: "C-1042", language: language, timeZone: berlin),
            to: MailAddress("jane@beta.example", name: contactName),
            tone: tone, invoices: invoices, history: history, payBy: payBy, includesOptOut: optOut, thread: thread,
            now: now, taskID: "task-4711", step: step)
    }
}
