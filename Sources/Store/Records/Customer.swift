import Dunning
import Foundation

public struct Customer: Sendable, Hashable {
    public var id: Int64
    public var externalRef: String
    public var name: String
    public var currency: String
    public var timeZone: String
    public var language: String
    public var accountOwnerEmail: String?
    public var isKeyAccount: Bool
    public var isConsumer: Bool
    public var status: String
    public var pausedUntil: CalendarDate?
    public var escalationLevel: Int
    public var nextReviewAt: Date
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = """
        id, external_ref, name, currency, time_zone, language, account_owner_email, is_key_account, \
        is_consumer, status, paused_until, escalation_level, next_review_at, created_at, updated_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        externalRef = try reader.next()
        name = try reader.next()
        currency = try reader.next()
        timeZone = try reader.next()
        language = try reader.next()
        accountOwnerEmail = try reader.next()
        isKeyAccount = try reader.next()
        isConsumer = try reader.next()
        status = try reader.next()
        pausedUntil = try reader.optionalDate()
        escalationLevel = try reader.next()
        nextReviewAt = try reader.next()
        createdAt = try reader.next()
        updatedAt = try reader.next()
    }
}

/// The writable fields of a customer; `.unchanged` keeps the stored value (or the default on create).
public struct CustomerChanges: Sendable {
    public var name: FieldUpdate<String> = .unchanged
    public var currency: FieldUpdate<String> = .unchanged
    public var timeZone: FieldUpdate<String> = .unchanged
    public var language: FieldUpdate<String> = .unchanged
    public var accountOwnerEmail: FieldUpdate<String?> = .unchanged
    public var isKeyAccount: FieldUpdate<Bool> = .unchanged
    public var isConsumer: FieldUpdate<Bool> = .unchanged
    public var status: FieldUpdate<String> = .unchanged
    public var pausedUntil: FieldUpdate<CalendarDate?> = .unchanged

    public init() {}
}

public struct CustomerFilter: Sendable {
    public var status: String?
    public var currency: String?
    public var externalRef: String?

    public init(status: String? = nil, currency: String? = nil, externalRef: String? = nil) {
        self.status = status
        self.currency = currency
        self.externalRef = externalRef
    }
}
