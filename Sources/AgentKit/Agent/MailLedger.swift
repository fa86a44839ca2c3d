import Foundation
import Mail
import Store

/// A recorded mail, as delivery sees it.
public struct LedgerEntry: Sendable {
    public var id: Int64
    /// The Message-ID, without brackets.
    public var messageID: String
    public var status: OutboundStatus?
    public var raw: [UInt8]
    public var recipients: [String]
    public var error: String?
}

/// Where mail is recorded before it is sent: customers' mail in `messages` (their thread), notices
/// to people of the tenant in `notifications`.
public protocol MailLedger: Sendable {
    func entry(messageID: String, in tenant: TenantStore) async throws -> LedgerEntry?
    func record(_ mail: OutgoingMail, in tenant: TenantStore) async throws -> LedgerEntry
    func move(_ entry: LedgerEntry, to status: OutboundStatus, from: [OutboundStatus], error: String?, sentAt: Date?,
              in tenant: TenantStore) async throws -> Bool
}

/// A customer's mail, in the customer's thread.
public struct CustomerThreadLedger: MailLedger {
    public var customerID: Int64
    public var contactID: Int64?
    public var stage: String?
    public var tone: String?
    public var invoiceIDs: [Int64]
    public var taskID: Int64
    public var at: Date

    public init(customerID: Int64, contactID: Int64?, stage: String? = nil, tone: String? = nil, invoiceIDs: [Int64],
                taskID: Int64, at: Date) {
        self.customerID = customerID
        self.contactID = contactID
        self.stage = stage
        self.tone = tone
        self.invoiceIDs = invoiceIDs
        self.taskID = taskID
        self.at = at
    }

    public func entry(messageID: String, in tenant: TenantStore) async throws -> LedgerEntry? {
        try await tenant.outboundMessage(messageID: messageID).map(Self.entry)
    }

    public func record(_ mail: OutgoingMail, in tenant: TenantStore) async throws -> LedgerEntry {
        Self.entry(try await tenant.recordOutbound(NewOutboundMessage(
            customerID: customerID, contactID: contactID, messageID: mail.messageID, inReplyTo: mail.inReplyTo,
            references: mail.references, fromAddress: mail.from.address, toAddresses: mail.to.map(\.address),
            ccAddresses: mail.cc.map(\.address), subject: mail.subject, bodyText: mail.textBody, bodyHTML: mail.htmlBody,
            raw: mail.rendered(), stage: stage, tone: tone, invoiceIDs: invoiceIDs, taskID: taskID, createdAt: at)))
    }

    public func move(_ entry: LedgerEntry, to status: OutboundStatus, from: [OutboundStatus], error: String?, sentAt: Date?,
                     in tenant: TenantStore) async throws -> Bool {
        try await tenant.setOutboundStatus(messageID: entry.id, to: status, from: from, error: error, sentAt: sentAt)
    }

    private static func entry(_ stored: (Message, raw: [UInt8])) -> LedgerEntry {
        LedgerEntry(id: stored.0.id, messageID: stored.0.messageID, status: OutboundStatus(rawValue: stored.0.status),
                    raw: stored.raw, recipients: stored.0.toAddresses + stored.0.ccAddresses, error: stored.0.error)
    }
}

/// A notice to someone in the tenant (the account owner), kept out of the customer's thread.
public struct NotificationLedger: MailLedger {
    public var customerID: Int64?
    public var event: String
    public var taskID: Int64
    public var at: Date

    public init(customerID: Int64?, event: String, taskID: Int64, at: Date) {
        self.customerID = customerID
        self.event = event
        self.taskID = taskID
        self.at = at
    }

    public func entry(messageID: String, in tenant: TenantStore) async throws -> LedgerEntry? {
        try await tenant.notice(channel: .mail, deliveryKey: messageID).map(Self.entry)
    }

    public func record(_ mail: OutgoingMail, in tenant: TenantStore) async throws -> LedgerEntry {
        Self.entry(try await tenant.recordNotice(
            customerID: customerID, channel: .mail, recipient: mail.to.map(\.address).joined(separator: ","),
            deliveryKey: mail.messageID, event: event, body: mail.rendered(), taskID: taskID, at: at))
    }

    public func move(_ entry: LedgerEntry, to status: OutboundStatus, from: [OutboundStatus], error: String?, sentAt: Date?,
                     in tenant: TenantStore) async throws -> Bool {
        try await tenant.setNoticeStatus(id: entry.id, to: status, from: from, error: error, sentAt: sentAt)
    }

    private static func entry(_ notice: Notice) -> LedgerEntry {
        LedgerEntry(id: notice.id, messageID: notice.deliveryKey, status: OutboundStatus(rawValue: notice.status),
                    raw: notice.body, recipients: notice.recipient.split(separator: ",").map(String.init), error: notice.error)
    }
}
