import Dunning
import Foundation
import Postgres

/// A promise to pay: until `promisedOn` (plus the policy's grace) its invoices are not chased.
public struct Promise: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var promisedOn: CalendarDate
    public var amount: Int64?
    public var currency: String?
    public var invoiceIDs: [Int64]
    public var status: String
    public var sourceMessageID: Int64?
    public var note: String
    public var resolvedAt: Date?
    public var createdAt: Date
    /// What it covered when it was made (nil for promises older than that record).
    public var coveredInvoiceIDs: [Int64]?
    /// The open total of `coveredInvoiceIDs` in `currency` when it was made, if it names an amount.
    public var coveredOpenAmount: Int64?

    static let columns = """
        id, customer_id, promised_on, amount, currency, invoice_ids, status, source_message_id, note, resolved_at, created_at,
        covered_invoice_ids, covered_open_amount
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        promisedOn = try reader.date()
        amount = try reader.next()
        currency = try reader.next()
        invoiceIDs = try reader.next()
        status = try reader.next()
        sourceMessageID = try reader.next()
        note = try reader.next()
        resolvedAt = try reader.next()
        createdAt = try reader.next()
        coveredInvoiceIDs = try reader.next()
        coveredOpenAmount = try reader.next()
    }
}

public struct NewPromise: Sendable {
    public var customerID: Int64
    public var promisedOn: CalendarDate
    public var amount: Int64?
    public var currency: String?
    public var invoiceIDs: [Int64]
    public var status: String
    public var note: String
    /// The reply it was read from: a second promise from the same reply is not recorded.
    public var sourceMessageID: Int64?

    public init(customerID: Int64, promisedOn: CalendarDate, amount: Int64? = nil, currency: String? = nil,
                invoiceIDs: [Int64] = [], status: String = "active", note: String = "", sourceMessageID: Int64? = nil) {
        self.customerID = customerID
        self.promisedOn = promisedOn
        self.amount = amount
        self.currency = currency
        self.invoiceIDs = invoiceIDs
        self.status = status
        self.note = note
        self.sourceMessageID = sourceMessageID
    }
}

public struct PromiseChanges: Sendable {
    public var promisedOn: FieldUpdate<CalendarDate> = .unchanged
    public var status: FieldUpdate<String> = .unchanged
    public var note: FieldUpdate<String> = .unchanged

    public init() {}
}

/// A dispute takes its invoices out of collection until it is resolved or rejected.
public struct Dispute: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var invoiceIDs: [Int64]
    public var reason: String
    public var status: String
    public var assignee: String?
    public var resolution: String?
    public var sourceMessageID: Int64?
    public var resolvedAt: Date?
    public var createdAt: Date

    static let columns = """
        id, customer_id, invoice_ids, reason, status, assignee, resolution, source_message_id, resolved_at, created_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        invoiceIDs = try reader.next()
        reason = try reader.next()
        status = try reader.next()
        assignee = try reader.next()
        resolution = try reader.next()
        sourceMessageID = try reader.next()
        resolvedAt = try reader.next()
        createdAt = try reader.next()
    }
}

public struct NewDispute: Sendable {
    public var customerID: Int64
    public var invoiceIDs: [Int64]
    public var reason: String
    public var assignee: String?
    /// The reply it was read from: a second dispute from the same reply is not opened.
    public var sourceMessageID: Int64?

    public init(customerID: Int64, invoiceIDs: [Int64], reason: String, assignee: String? = nil, sourceMessageID: Int64? = nil) {
        self.customerID = customerID
        self.invoiceIDs = invoiceIDs
        self.reason = reason
        self.assignee = assignee
        self.sourceMessageID = sourceMessageID
    }
}

public struct DisputeChanges: Sendable {
    public var status: FieldUpdate<String> = .unchanged
    public var assignee: FieldUpdate<String?> = .unchanged
    public var resolution: FieldUpdate<String?> = .unchanged

    public init() {}
}

/// A mail in a customer's thread, either way.
public struct Message: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64?
    public var contactID: Int64?
    public var direction: String
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var fromAddress: String
    public var toAddresses: [String]
    public var ccAddresses: [String]
    public var subject: String
    public var bodyText: String
    public var status: String
    public var stage: String?
    public var tone: String?
    public var invoiceIDs: [Int64]
    public var classification: String?
    public var error: String?
    public var sentAt: Date?
    public var receivedAt: Date?
    public var createdAt: Date

    static let columns = """
        id, customer_id, contact_id, direction, message_id, in_reply_to, "references", from_address, to_addresses,
        cc_addresses, subject, body_text, status, stage, tone, invoice_ids, classification, error, sent_at,
        received_at, created_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        contactID = try reader.next()
        direction = try reader.next()
        messageID = try reader.next()
        inReplyTo = try reader.next()
        references = try reader.next()
        fromAddress = try reader.next()
        toAddresses = try reader.next()
        ccAddresses = try reader.next()
        subject = try reader.next()
        bodyText = try reader.next()
        status = try reader.next()
        stage = try reader.next()
        tone = try reader.next()
        invoiceIDs = try reader.next()
        classification = try reader.next()
        error = try reader.next()
        sentAt = try reader.next()
        receivedAt = try reader.next()
        createdAt = try reader.next()
    }
}

public struct Escalation: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64
    public var fromLevel: Int
    public var level: Int
    public var reasons: [String]
    public var ownerEmail: String?
    public var ownerNotifiedVia: String?
    public var ownerNotifiedAt: Date?
    public var status: String
    public var createdAt: Date
    public var resolvedAt: Date?

    static let columns = """
        id, customer_id, from_level, level, reasons, owner_email, owner_notified_via, owner_notified_at, status,
        created_at, resolved_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        fromLevel = try reader.next()
        level = try reader.next()
        reasons = try reader.next()
        ownerEmail = try reader.next()
        ownerNotifiedVia = try reader.next()
        ownerNotifiedAt = try reader.next()
        status = try reader.next()
        createdAt = try reader.next()
        resolvedAt = try reader.next()
    }
}

public struct AuditEvent: Sendable, Hashable {
    public var id: Int64
    public var customerID: Int64?
    public var actor: String
    public var action: String
    public var reasons: [String]
    /// The event's details as JSON text.
    public var details: String
    public var taskID: Int64?
    public var createdAt: Date

    static let columns = "id, customer_id, actor, action, reasons, details, task_id, created_at"

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        actor = try reader.next()
        action = try reader.next()
        reasons = try reader.next()
        details = try reader.next(PostgresJSON.self).text
        taskID = try reader.next()
        createdAt = try reader.next()
    }
}

public struct AuditFilter: Sendable {
    public var customerID: Int64?
    public var action: String?
    public var actor: String?

    public init(customerID: Int64? = nil, action: String? = nil, actor: String? = nil) {
        self.customerID = customerID
        self.action = action
        self.actor = actor
    }
}

/// A filter on customer and status, shared by promises, disputes and escalations.
public struct StatusFilter: Sendable {
    public var customerID: Int64?
    public var status: String?

    public init(customerID: Int64? = nil, status: String? = nil) {
        self.customerID = customerID
        self.status = status
    }
}

/// The tenant's dunning policy as stored: the full document (defaults filled in) and its version.
public struct StoredPolicy: Sendable {
    public var document: String
    public var version: Int
    public var updatedAt: Date
}
