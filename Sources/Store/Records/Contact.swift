import Foundation

public struct Contact: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var name: String
    public var email: String
    public var role: String
    public var isPrimary: Bool
    public var status: String
    public var source: String
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = "id, customer_id, name, email, role, is_primary, status, source, created_at, updated_at"

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        name = try reader.next()
        email = try reader.next()
        role = try reader.next()
        isPrimary = try reader.next()
        status = try reader.next()
        source = try reader.next()
        createdAt = try reader.next()
        updatedAt = try reader.next()
    }
}

public struct ContactChanges: Sendable {
    public var name: FieldUpdate<String> = .unchanged
    public var email: FieldUpdate<String> = .unchanged
    public var role: FieldUpdate<String> = .unchanged
    public var isPrimary: FieldUpdate<Bool> = .unchanged
    public var status: FieldUpdate<String> = .unchanged

    public init() {}
}

public struct ContactFilter: Sendable {
    public var customerID: Int64?
    public var email: String?
    public var status: String?

    public init(customerID: Int64? = nil, email: String? = nil, status: String? = nil) {
        self.customerID = customerID
        self.email = email
        self.status = status
    }
}

/// What a person decided about a contact an agent proposed.
public enum ProposalDecision: Sendable {
    case approve(makePrimary: Bool)
    case reject
}

public enum ProposalOutcome: Sendable {
    case decided(Contact)
    /// Only a proposed contact can be approved or rejected; this one is not (or no longer).
    case notProposed(status: String)
    case notFound
}

/// For modules that also import Dunning, whose `Contact` is the domain's view of an address.
public typealias ContactRecord = Contact
