import Foundation
import Postgres

extension TenantStore {
    /// This tenant's messages with any of these Message-IDs that belong to a customer, for
    /// threading a reply or bounce (one look-up on the unique (tenant_id, message_id) index).
    public func threadedMessages(messageIDs: [String]) async throws -> [ThreadedMessage] {
        guard !messageIDs.isEmpty else { return [] }
        return try await query("""
            SELECT id, message_id, customer_id, contact_id FROM messages
            WHERE tenant_id = \(tenantID) AND message_id = ANY(\(messageIDs)::text[]) AND customer_id IS NOT NULL
            """).map { row in
            let (id, messageID, customerID, contactID) = try row.decode((Int64, String, Int64, Int64?).self)
            return ThreadedMessage(id: id, messageID: messageID, customerID: customerID, contactID: contactID)
        }
    }

    /// Contacts of any customer with one of these addresses (case-insensitive), by id.
    public func contacts(emails: [String]) async throws -> [Contact] {
        guard !emails.isEmpty else { return [] }
        return try await query("""
            SELECT \(unescaped: Contact.columns) FROM contacts
            WHERE tenant_id = \(tenantID) AND lower(email) = ANY(\(emails.map { $0.lowercased() })::text[]) ORDER BY id
            """).records()
    }

    /// Stores an inbound message once per Message-ID: a second delivery writes nothing and
    /// returns the row already there (which may be outbound: our own mail sent back to us).
    public func recordInboundMessage(_ message: NewInboundMessage) async throws -> StoredInboundMessage {
        let inserted = try await query("""
            INSERT INTO messages (tenant_id, customer_id, contact_id, direction, message_id, in_reply_to, "references",
                                  from_address, to_addresses, cc_addresses, subject, body_text, body_html, raw, status,
                                  matched_by, sent_at, received_at)
            VALUES (\(tenantID), \(message.customerID), \(message.contactID), 'inbound', \(message.messageID), \(message.inReplyTo),
                    \(message.references)::text[], \(message.fromAddress), \(message.toAddresses)::text[],
                    \(message.ccAddresses)::text[], \(message.subject), \(message.bodyText), \(message.bodyHTML),
                    \(Data(message.raw)), 'received', \(message.matchedBy), \(message.sentAt), now())
            ON CONFLICT (tenant_id, message_id) DO NOTHING
            RETURNING \(unescaped: StoredInboundMessage.columns)
            """)
        if let row = inserted.first {
            var reader = RowReader(row)
            let stored = try StoredInboundMessage(&reader, created: true)
            try await audit(action: "message.received", customerID: message.customerID,
                            details: ["message_id": String(stored.id), "matched_by": message.matchedBy ?? "none"])
            return stored
        }
        let existing = try await query("""
            SELECT \(unescaped: StoredInboundMessage.columns) FROM messages
            WHERE tenant_id = \(tenantID) AND message_id = \(message.messageID)
            """)
        var reader = RowReader(existing[0])
        return try StoredInboundMessage(&reader, created: false)
    }

    /// Links an inbound message to the task that triages it.
    public func setTriageTask(messageID id: Int64, taskID: Int64) async throws {
        try await query("UPDATE messages SET task_id = \(taskID) WHERE tenant_id = \(tenantID) AND id = \(id)")
    }
}
