import Dunning
import Foundation

/// The data a writer (the template or a language model) was given, against which a generated
/// text is checked: it may state these amounts, dates, invoice numbers, counts and addresses,
/// and nothing else.
public struct DraftFacts: Sendable, Hashable {
    /// Every one must be named, and no other invoice number may appear.
    public var invoiceNumbers: [String]
    public var amounts: [Money]
    public var dates: [CalendarDate]
    /// Other numbers the text may contain, as digits: day counts, the number of invoices, the
    /// digits of a customer number.
    public var numbers: [String]
    public var emailAddresses: [String]
    /// The day the text is written; relative dates ("tomorrow") are read from it.
    public var today: CalendarDate
    /// The currency of an amount written without one.
    public var defaultCurrency: CurrencyCode?

    public init(
        invoiceNumbers: [String], amounts: [Money], dates: [CalendarDate], numbers: [String] = [],
        emailAddresses: [String] = [], today: CalendarDate, defaultCurrency: CurrencyCode? = nil
    ) {
        self.invoiceNumbers = invoiceNumbers
        self.amounts = amounts
        self.dates = dates
        self.numbers = numbers
        self.emailAddresses = emailAddresses
        self.today = today
        self.defaultCurrency = defaultCurrency
    }
}

extension DraftFacts {
    /// The facts of a reminder: its invoices and their totals, the history it mentions, the
    /// dates it may name, and the day counts that go with them.
    init(_ request: ReminderRequest) {
        let today = request.today
        var amounts = request.invoices.map(\.openAmount) + Self.totals(request.invoices.map(\.openAmount))
        var dates = request.invoices.map(\.dueOn) + [today]
        var numbers = request.invoices.map { String(abs($0.dueOn.days(until: today))) } + [String(request.invoices.count)]
        if let payment = request.history.recentPayment {
            amounts.append(payment.amount)
            dates.append(payment.receivedOn)
        }
        if let promise = request.history.promise {
            amounts += promise.amount.map { [$0] } ?? []
            dates.append(promise.promisedOn)
        }
        dates += [request.history.previousReminderOn, request.payBy].compactMap { $0 }
        if let reference = request.customer.accountReference {
            numbers += reference.split { !$0.isASCII || !$0.isNumber }.map(String.init)
        }
        let addresses = ([request.sender.address, request.sender.replyTo, request.to].compactMap { $0 } + request.cc).map(\.normalizedAddress)
        self.init(
            invoiceNumbers: request.invoices.map(\.number), amounts: Self.unique(amounts), dates: Self.unique(dates),
            numbers: Self.unique(numbers), emailAddresses: addresses, today: today,
            defaultCurrency: request.invoices.first?.openAmount.currency)
    }

    /// One total per currency, in the order the currencies first appear.
    static func totals(_ amounts: [Money]) -> [Money] {
        var totals: [Money] = []
        for amount in amounts {
            if let index = totals.firstIndex(where: { $0.currency == amount.currency }) {
                totals[index] = totals[index].saturatingAdding(amount)
            } else {
                totals.append(amount)
            }
        }
        return totals
    }

    private static func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}
