import Dunning

/// A customer as every tenant table keys it.
public struct CustomerKey: Hashable, Sendable {
    public let tenantID: Int64
    public let customerID: Int64

    public init(tenantID: Int64, customerID: Int64) {
        self.tenantID = tenantID
        self.customerID = customerID
    }
}

/// What a review needs about one customer: the snapshot `Dunning.decide` reads, plus the ids the
/// agents' tasks refer to, which the snapshot (plain domain values) does not carry.
public struct CustomerUnderReview: Sendable {
    public let key: CustomerKey
    public var snapshot: CustomerSnapshot
    /// Open invoices' ids by number.
    public let invoiceIDs: [String: Int64]
    /// The id of each of `snapshot.promises`, in the same order.
    public let promiseIDs: [Int64]
    /// The account owner's address, for owner notifications.
    public let accountOwnerEmail: String?

    public init(key: CustomerKey, snapshot: CustomerSnapshot, invoiceIDs: [String: Int64], promiseIDs: [Int64],
                accountOwnerEmail: String?) {
        self.key = key
        self.snapshot = snapshot
        self.invoiceIDs = invoiceIDs
        self.promiseIDs = promiseIDs
        self.accountOwnerEmail = accountOwnerEmail
    }

    /// The id of a promise of the snapshot, found by value.
    public func id(of promise: PromiseToPay) -> Int64? {
        snapshot.promises.firstIndex(of: promise).map { promiseIDs[$0] }
    }
}
