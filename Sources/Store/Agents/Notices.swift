import Foundation
import Postgres

/// A notice to someone inside the tenant (the account owner), by mail or webhook, recorded before it
/// goes out so a retried task does not send it twice.
public struct Notice: Sendable, Hashable {
    public enum Channel: String, Sendable {
        case mail, webhook
    }

    public var id: Int64
    public var customerID: Int64?
    public var channel: String
    public var recipient: String
    public var deliveryKey: String
    public var event: String
    public var status: String
    public var body: [UInt8]
    public var error: String?
    public var taskID: Int64?
    public var createdAt: Date
    public var sentAt: Date?

    static let columns = """
        id, customer_id, channel, recipient, delivery_key, event, status, body, error, task_id, created_at, sent_at
        """

    init(_ reader: inout RowReader) throws {
        id = try reader.next()
        customerID = try reader.next()
        channel = try reader.next()
        recipient = try reader.next()
        deliveryKey = try reader.next()
        event = try reader.next()
        status = try reader.next()
        body = Array(try reader.next(Data.self))
        error = try reader.next()
        taskID = try reader.next()
        createdAt = try reader.next()
        sentAt = try reader.next()
    }
}

extension Notice: StoredRecord {}

extension TenantStore {
    /// Records the notice unless one with this channel and key exists; returns the stored one.
    public func recordNotice(
        customerID: Int64?, channel: Notice.Channel, recipient: String, deliveryKey: String, event: String,
        body: [UInt8], taskID: Int64?, at instant: Date
    ) async throws -> Notice {
        try await query("""
            INSERT INTO notifications (tenant_id, customer_id, channel, recipient, delivery_key, event, body, task_id, created_at)
            VALUES (\(tenantID), \(customerID), \(channel.rawValue), \(recipient), \(deliveryKey), \(event), \(Data(body)),
                    \(taskID), \(instant))
            ON CONFLICT (tenant_id, channel, delivery_key) DO NOTHING
            """)
        guard let stored = try await notice(channel: channel, deliveryKey: deliveryKey) else {
            throw StoreError.notFound("the notification \(deliveryKey) vanished while it was recorded")
        }
        return stored
    }

    public func notice(channel: Notice.Channel, deliveryKey: String) async throws -> Notice? {
        try await query("""
            SELECT \(unescaped: Notice.columns) FROM notifications
             WHERE tenant_id = \(tenantID) AND channel = \(channel.rawValue) AND delivery_key = \(deliveryKey)
            """).records(Notice.self).first
    }

    /// Moves a notice on if it is in one of `from`; false when another attempt moved it first.
    @discardableResult
    public func setNoticeStatus(id: Int64, to status: OutboundStatus, from: [OutboundStatus],
                                      error: String? = nil, sentAt: Date? = nil) async throws -> Bool {
        try await !query("""
            UPDATE notifications SET status = \(status.rawValue), error = coalesce(\(error), error),
                   sent_at = coalesce(\(sentAt), sent_at)
             WHERE tenant_id = \(tenantID) AND id = \(id) AND status = ANY (\(from.map(\.rawValue)))
            RETURNING id
            """).isEmpty
    }

    /// When the customer's owner was last told anything, by any channel; nil if never.
    public func lastOwnerNotice(customerID: Int64) async throws -> Date? {
        try await query("""
            SELECT max(coalesce(sent_at, created_at)) FROM notifications
             WHERE tenant_id = \(tenantID) AND customer_id = \(customerID) AND status IN ('sent', 'sending', 'unconfirmed')
            """)[0].decode(Date?.self, at: 0)
    }
}
