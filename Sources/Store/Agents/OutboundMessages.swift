import Foundation
import Postgres

/// A mail an agent is about to send to a customer, as it is recorded before the send.
public struct NewOutboundMessage: Sendable {
    public var customerID: Int64
    public var contactID: Int64?
    /// Deterministic for (task, step): a retried step finds the row its earlier attempt wrote.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var fromAddress: String
    public var toAddresses: [String]
    public var ccAddresses: [String]
    public var subject: String
    public var bodyText: String
    public var bodyHTML: String?
    /// The exact bytes to hand to the SMTP server, so every attempt sends the same message.
    public var raw: [UInt8]
    public var stage: String?
    public var tone: String?
    public var invoiceIDs: [Int64]
    public var taskID: Int64
    /// The sending agent's clock.
    public var createdAt: Date

    public init(customerID: Int64, contactID: Int64?, messageID: String, inReplyTo: String?, references: [String],
                fromAddress: String, toAddresses: [String], ccAddresses: [String], subject: String, bodyText: String,
                bodyHTML: String?, raw: [UInt8], stage: String?, tone: String?, invoiceIDs: [Int64], taskID: Int64,
                createdAt: Date) {
        self.customerID = customerID
        self.contactID = contactID
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
        self.stage = stage
        self.tone = tone
        self.invoiceIDs = invoiceIDs
        self.taskID = taskID
        self.createdAt = createdAt
    }
}

/// Where an outbound message stands: `pending` (recorded, never handed to a server), `sending`
/// (handed over; if its worker died, nobody knows whether it arrived), then `sent`, `failed` or
/// `unconfirmed`.
public enum OutboundStatus: String, Sendable {
    case pending, sending, sent, failed, unconfirmed, bounced
}

extension TenantStore {
    /// The outbound message with this Message-ID and its bytes, if one was recorded.
    public func outboundMessage(messageID: String) async throws -> (Message, raw: [UInt8])? {
        guard let row = try await query("""
            SELECT \(unescaped: Message.columns), coalesce(raw, '\\x'::bytea) FROM messages
             WHERE tenant_id = \(tenantID) AND message_id = \(messageID) AND direction = 'outbound'
            """).first else { return nil }
        var reader = RowReader(row)
        let stored = try Message(&reader)
        let raw: Data = try reader.next()
        return (stored, Array(raw))
    }

    /// Records the message unless its Message-ID is already recorded; either way returns the row and
    /// the bytes to send.
    public func recordOutbound(_ message: NewOutboundMessage) async throws -> (Message, raw: [UInt8]) {
        try await query("""
            INSERT INTO messages (tenant_id, customer_id, contact_id, direction, message_id, in_reply_to, "references",
                                  from_address, to_addresses, cc_addresses, subject, body_text, body_html, raw, status,
                                  stage, tone, invoice_ids, task_id, created_at)
            VALUES (\(tenantID), \(message.customerID), \(message.contactID), 'outbound', \(message.messageID),
                    \(message.inReplyTo), \(message.references), \(message.fromAddress), \(message.toAddresses),
                    \(message.ccAddresses), \(message.subject), \(message.bodyText), \(message.bodyHTML), \(Data(message.raw)),
                    'pending', \(message.stage), \(message.tone), \(message.invoiceIDs), \(message.taskID), \(message.createdAt))
            ON CONFLICT (tenant_id, message_id) DO NOTHING
            """)
        guard let stored = try await outboundMessage(messageID: message.messageID) else {
            throw StoreError.conflict(code: "message_id_taken", message: "the Message-ID \(message.messageID) belongs to an inbound message")
        }
        return stored
    }

    /// Moves an outbound message on if it is in one of `from`; false when it was not (another attempt
    /// moved it first).
    @discardableResult
    public func setOutboundStatus(messageID: Int64, to status: OutboundStatus, from: [OutboundStatus],
                                  error: String? = nil, sentAt: Date? = nil) async throws -> Bool {
        try await !query("""
            UPDATE messages SET status = \(status.rawValue), error = coalesce(\(error), error),
                   sent_at = coalesce(\(sentAt), sent_at)
             WHERE tenant_id = \(tenantID) AND id = \(messageID) AND direction = 'outbound'
               AND status = ANY (\(from.map(\.rawValue)))
            RETURNING id
            """).isEmpty
    }

    /// The message whose Message-ID (without brackets) is one of `messageIDs`, the last listed first:
    /// what a reply or a bounce refers to.
    public func message(referencedBy messageIDs: [String]) async throws -> Message? {
        guard !messageIDs.isEmpty else { return nil }
        return try await query("""
            SELECT \(unescaped: Message.columns) FROM messages
             WHERE tenant_id = \(tenantID) AND message_id = ANY (\(messageIDs))
             ORDER BY array_position(\(messageIDs)::text[], message_id) DESC LIMIT 1
            """).records(Message.self).first
    }
}
