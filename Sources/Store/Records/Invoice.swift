import Dunning
import Foundation

public struct Invoice: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var number: String
    public var issuedOn: CalendarDate
    public var dueOn: CalendarDate
    public var amount: Int64
    public var openAmount: Int64
    public var currency: String
    public var status: String
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = """
        id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status, created_at, updated_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        number = try reader.next()
        issuedOn = try reader.date()
        dueOn = try reader.date()
        amount = try reader.next()
        openAmount = try reader.next()
        currency = try reader.next()
        status = try reader.next()
        createdAt = try reader.next()
        updatedAt = try reader.next()
    }
}

public struct InvoiceChanges: Sendable {
    public var customerID: FieldUpdate<Int64> = .unchanged
    public var issuedOn: FieldUpdate<CalendarDate> = .unchanged
    public var dueOn: FieldUpdate<CalendarDate> = .unchanged
    public var amount: FieldUpdate<Int64> = .unchanged
    /// Unchanged on create means: the whole amount is open.
    public var openAmount: FieldUpdate<Int64> = .unchanged
    public var currency: FieldUpdate<String> = .unchanged
    public var status: FieldUpdate<String> = .unchanged

    public init() {}
}

public struct InvoiceFilter: Sendable {
    public var customerID: Int64?
    public var status: String?
    public var currency: String?
    public var number: String?
    public var dueBefore: CalendarDate?
    public var dueAfter: CalendarDate?

    public init(customerID: Int64? = nil, status: String? = nil, currency: String? = nil, number: String? = nil,
                dueBefore: CalendarDate? = nil, dueAfter: CalendarDate? = nil) {
        self.customerID = customerID
        self.status = status
        self.currency = currency
        self.number = number
        self.dueBefore = dueBefore
        self.dueAfter = dueAfter
    }
}
