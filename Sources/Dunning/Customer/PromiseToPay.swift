import Foundation

public enum PromiseStatus: String, Hashable, Sendable, Codable {
    case active, kept, broken, cancelled
}

/// A customer's promise to pay by a date, usually read from a reply.
public struct PromiseToPay: Hashable, Sendable {
    public var promisedOn: CalendarDate
    public var amount: Money?
    /// The invoices it covers; empty means all of the customer's open invoices.
    public var invoiceNumbers: [String]
    public var status: PromiseStatus
    /// When it was found kept or broken.
    public var resolvedOn: CalendarDate?

    public init(
        promisedOn: CalendarDate,
        amount: Money? = nil,
        invoiceNumbers: [String] = [],
        status: PromiseStatus = .active,
        resolvedOn: CalendarDate? = nil
    ) {
        self.promisedOn = promisedOn
        self.amount = amount
        self.invoiceNumbers = invoiceNumbers
        self.status = status
        self.resolvedOn = resolvedOn
    }

    public func covers(_ invoiceNumber: String) -> Bool {
        invoiceNumbers.isEmpty || invoiceNumbers.contains(invoiceNumber)
    }
}
