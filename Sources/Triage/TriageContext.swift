import Dunning
import Foundation

/// What the classifier may know about the customer besides the reply itself.
public struct TriageContext: Sendable {
    /// The customer's open invoice numbers; mentions of them are recognised in any form of text.
    public var openInvoiceNumbers: [String]
    /// The currency of amounts written without one ("1.234,56").
    public var defaultCurrency: CurrencyCode?
    /// The customer's zone: the message's instant becomes a calendar day here.
    public var timeZone: TimeZone
    /// How to read an ambiguous numeric date such as 03/04/2026.
    public var numericDateOrder: NumericDateOrder
    /// Our own addresses (the AR sender), never proposed as a new contact.
    public var ownAddresses: [String]

    public init(
        openInvoiceNumbers: [String] = [],
        defaultCurrency: CurrencyCode? = nil,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        numericDateOrder: NumericDateOrder = .dayFirst,
        ownAddresses: [String] = []
    ) {
        self.openInvoiceNumbers = openInvoiceNumbers
        self.defaultCurrency = defaultCurrency
        self.timeZone = timeZone
        self.numericDateOrder = numericDateOrder
        self.ownAddresses = ownAddresses
    }
}

public enum NumericDateOrder: String, Sendable, Hashable {
    /// 03/04/2026 is 3 April (Europe).
    case dayFirst
    /// 03/04/2026 is March 4 (United States).
    case monthFirst
}
