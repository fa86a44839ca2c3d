import Foundation

/// An open invoice as it stands on the review date.
public struct InvoiceStanding: Hashable, Sendable {
    public let invoice: OpenInvoice
    /// Days past the due date in the customer's time zone; negative while not yet due, 0 on the due date.
    public let daysOverdue: Int
    /// Covered by the customer's active promise to pay.
    public let isPromised: Bool

    public var isOverdue: Bool { daysOverdue > 0 }
    public var number: String { invoice.number }
}
