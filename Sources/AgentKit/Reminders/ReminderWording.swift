import Dunning

/// A reminder's facts, already written in its language, as the wording needs them.
struct ReminderPhrasing: Sendable {
    struct InvoiceLine: Sendable {
        let number: String
        let amount: String
        let dueOn: String
        let daysOverdue: Int
    }

    enum PromiseNote: Sendable {
        case kept(dueOn: String)
        case broken(amount: String?, dueOn: String)
        case active(amount: String?, dueOn: String)
    }

    let tone: Tone
    let contactName: String?
    let invoices: [InvoiceLine]
    /// One per currency, already formatted.
    let totals: [String]
    let accountReference: String?
    let previousReminderOn: String?
    let payBy: String?
    let payment: (amount: String, receivedOn: String)?
    let promise: PromiseNote?

    var isSingle: Bool { invoices.count == 1 }
    /// Every invoice is still before its due date: a courtesy notice, not a chase.
    var allUpcoming: Bool { invoices.allSatisfy { $0.daysOverdue < 0 } }
    /// The single total to quote, when there is only one currency.
    var singleTotal: String? { totals.count == 1 ? totals[0] : nil }
}

/// The words of reminders in one language: one implementation per language, each written the
/// way a careful member of an AR team writes there. Clear and specific, never promotional;
/// firmer tones state consequences plainly and never threaten.
protocol ReminderWording: Sendable {
    var language: ReminderLanguage { get }
    /// The default name of the team, for a signature.
    var teamName: String { get }
    /// "Customer number: C-1001".
    func accountReference(_ reference: String) -> String
    /// The header of the invoice table: number, amount, due date, status.
    var tableHeader: [String] { get }
    var optOutLine: String { get }
    /// The reply prefix-free subject of a new thread.
    func subject(_ phrasing: ReminderPhrasing) -> String
    func greeting(_ phrasing: ReminderPhrasing) -> String
    /// Introduces the invoice table; ends with a colon.
    func intro(_ phrasing: ReminderPhrasing) -> String
    /// "20 days overdue", "due today", "due in 3 days".
    func standing(daysOverdue: Int) -> String
    /// One invoice in a sentence-like line, for plain text.
    func invoiceLine(_ line: ReminderPhrasing.InvoiceLine) -> String
    func total(_ totals: [String]) -> String
    func payment(amount: String, receivedOn: String) -> String
    func promise(_ note: ReminderPhrasing.PromiseNote) -> String
    func request(_ phrasing: ReminderPhrasing) -> String
    /// How to raise a question or a disagreement.
    func help(_ phrasing: ReminderPhrasing) -> String
    /// What happens next, for firmer tones; nil for a friendly one.
    func consequence(_ phrasing: ReminderPhrasing) -> String?
    func closing(_ phrasing: ReminderPhrasing) -> String
    /// "INV-1", "INV-1 and INV-2", "INV-1, INV-2 and INV-3".
    func list(_ items: [String]) -> String
}

extension ReminderLanguage {
    var wording: any ReminderWording {
        switch self {
        case .english: EnglishWording()
        case .german: GermanWording()
        case .french: FrenchWording()
        }
    }
}

extension ReminderWording {
    /// Up to three invoice numbers by name, then a count.
    func invoiceReference(_ numbers: [String], more: (Int) -> String) -> String {
        numbers.count <= 3 ? list(numbers) : list(Array(numbers.prefix(2)) + [more(numbers.count - 2)])
    }

    func joined(_ items: [String], and conjunction: String) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
        }
    }
}
