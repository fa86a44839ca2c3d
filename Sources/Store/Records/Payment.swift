import Dunning
import Foundation

public struct Payment: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var amount: Int64
    public var currency: String
    public var receivedOn: CalendarDate
    public var reference: String?
    public var createdAt: Date
    public var allocations: [PaymentAllocation]

    static let columns = """
        p.id, p.customer_id, p.amount, p.currency, p.received_on, p.reference, p.created_at,
        COALESCE((SELECT array_agg(a.invoice_id ORDER BY a.invoice_id) FROM payment_allocations a
                   WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), '{}'),
        COALESCE((SELECT array_agg(a.amount ORDER BY a.invoice_id) FROM payment_allocations a
                   WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id), '{}')
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        amount = try reader.next()
        currency = try reader.next()
        receivedOn = try reader.date()
        reference = try reader.next()
        createdAt = try reader.next()
        let invoices: [Int64] = try reader.next()
        let amounts: [Int64] = try reader.next()
        allocations = zip(invoices, amounts).map { PaymentAllocation(invoiceID: $0, amount: $1) }
    }

    /// What was not spread over invoices (a credit on the customer's account).
    public var unallocatedAmount: Int64 {
        amount - allocations.reduce(0) { $0 + $1.amount }
    }
}

public struct PaymentAllocation: Sendable, Hashable {
    public var invoiceID: Int64
    public var amount: Int64

    public init(invoiceID: Int64, amount: Int64) {
        self.invoiceID = invoiceID
        self.amount = amount
    }
}

public struct NewPayment: Sendable {
    public var customerID: Int64
    public var amount: Int64
    public var currency: String
    public var receivedOn: CalendarDate
    public var reference: String?
    public var allocation: AllocationPlan

    public init(customerID: Int64, amount: Int64, currency: String, receivedOn: CalendarDate,
                reference: String? = nil, allocation: AllocationPlan = .oldestDueFirst) {
        self.customerID = customerID
        self.amount = amount
        self.currency = currency
        self.receivedOn = receivedOn
        self.reference = reference
        self.allocation = allocation
    }
}

/// How a payment is spread over the customer's invoices.
public enum AllocationPlan: Sendable, Hashable {
    /// Over open invoices in the payment's currency, earliest due date first.
    case oldestDueFirst
    /// Exactly these amounts; each must be open on its invoice.
    case exactly([PaymentAllocation])
    /// As much as is open on this one invoice; the rest stays unallocated.
    case toInvoice(Int64)
}

public struct PaymentChanges: Sendable {
    public var receivedOn: FieldUpdate<CalendarDate> = .unchanged
    public var reference: FieldUpdate<String?> = .unchanged

    public init() {}
}

public struct PaymentFilter: Sendable {
    public var customerID: Int64?
    public var currency: String?
    public var reference: String?
    public var receivedBefore: CalendarDate?
    public var receivedAfter: CalendarDate?

    public init(customerID: Int64? = nil, currency: String? = nil, reference: String? = nil,
                receivedBefore: CalendarDate? = nil, receivedAfter: CalendarDate? = nil) {
        self.customerID = customerID
        self.currency = currency
        self.reference = reference
        self.receivedBefore = receivedBefore
        self.receivedAfter = receivedAfter
    }
}
