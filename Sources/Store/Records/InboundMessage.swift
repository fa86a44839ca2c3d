import Foundation

/// A message of this tenant that a reply or bounce may refer to by its Message-ID.
public struct ThreadedMessage: Sendable, Hashable {
    public var id: Int64
    /// Without angle brackets, as every Message-ID is stored.
    public var messageID: String
    public var customerID: Int64
    public var contactID: Int64?
}

/// A reply or bounce as the inbound webhook received it, threaded (or not) to a customer.
public struct NewInboundMessage: Sendable {
    /// Without angle brackets; derived from the message's bytes when it had none.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var fromAddress: String
    public var toAddresses: [String]
    public var ccAddresses: [String]
    public var subject: String
    public var bodyText: String
    public var bodyHTML: String?
    /// The message as received (the JSON form rendered as RFC 5322).
    public var raw: [UInt8]
    /// The message's own Date.
    public var sentAt: Date?
    public var customerID: Int64?
    public var contactID: Int64?
    /// in_reply_to, references, bounce or sender; nil when unmatched.
    public var matchedBy: String?

    public init(
        messageID: String, inReplyTo: String?, references: [String], fromAddress: String, toAddresses: [String],
        ccAddresses: [String], subject: String, bodyText: String, bodyHTML: String?, raw: [UInt8], sentAt: Date?,
        customerID: Int64?, contactID: Int64?, matchedBy: String?
    ) {
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.fromAddress = fromAddress
        self.toAddresses = toAddresses
        self.ccAddresses = ccAddresses
        self.subject = subject
        self.bodyText = bodyText
        self.bodyHTML = bodyHTML
        self.raw = raw
        self.sentAt = sentAt
        self.customerID = customerID
        self.contactID = contactID
        self.matchedBy = matchedBy
    }
}

/// The stored row a Message-ID names: the one just inserted, or the one that was there.
public struct StoredInboundMessage: Sendable, Hashable {
    public var id: Int64
    public var direction: String
    public var customerID: Int64?
    public var matchedBy: String?
    /// For an inbound message, its reply_triage task.
    public var taskID: Int64?
    /// False when a message with this Message-ID was already stored (nothing was written).
    public var created: Bool

    static let columns = "id, direction, customer_id, matched_by, task_id"

    init(_ reader: inout RowReader, created: Bool) throws {
        id = try reader.next()
        direction = try reader.next()
        customerID = try reader.next()
        matchedBy = try reader.next()
        taskID = try reader.next()
        self.created = created
    }
}
