import Foundation

/// An invoice with an open balance.
public struct OpenInvoice: Hashable, Sendable {
    public var number: String
    public var issuedOn: CalendarDate
    public var dueOn: CalendarDate
    public var openAmount: Money
    /// Disputed invoices are never chased; they wait for the dispute to be resolved.
    public var isDisputed: Bool

    public init(number: String, issuedOn: CalendarDate, dueOn: CalendarDate, openAmount: Money, isDisputed: Bool = false) {
        self.number = number
        self.issuedOn = issuedOn
        self.dueOn = dueOn
        self.openAmount = openAmount
        self.isDisputed = isDisputed
    }
}

/// An invoice settled in full, for the payment history.
public struct PaidInvoice: Hashable, Sendable {
    public var number: String
    public var dueOn: CalendarDate
    /// The date the last payment closing it arrived.
    public var paidOn: CalendarDate

    public init(number: String, dueOn: CalendarDate, paidOn: CalendarDate) {
        self.number = number
        self.dueOn = dueOn
        self.paidOn = paidOn
    }
}
