import Foundation
import Mail
import Postgres
import Queue
import Store

extension AdminAPI {
    /// Replies and bounces from a mail provider or the tenant's mail server: stored once per
    /// Message-ID, threaded to a customer, and handed to the reply triage agent in the same
    /// transaction.
    var inboundEndpoints: [Endpoint] {
        [
            Endpoint(.post, "/v1/inbound/email", .inbound, bodyLimit: ReceivedMail.maximumBody) { call in
                let (tenant, actor) = try await authenticateInbound(call)
                let mail = try ReceivedMail.read(call)
                let stored = try await store.withTenant(tenant.id, actor: actor) { book in
                    let parsed = mail.parsed
                    let thread = InboundThread.match(
                        parsed, messages: try await book.threadedMessages(messageIDs: InboundThread.messageIDs(of: parsed)),
                        contacts: try await book.contacts(emails: InboundThread.addresses(of: parsed)))
                    var stored = try await book.recordInboundMessage(Self.newInboundMessage(mail, thread))
                    guard stored.created else { return stored }
                    let task = try await queue.enqueue([NewTask(
                        tenantID: tenant.id, customerID: thread.customerID, kind: "reply_triage",
                        payload: PostgresJSON(#"{"message_id": \#(stored.id)}"#), dedupeKey: "reply_triage:\(stored.id)")],
                        on: book.connection)[0]
                    try await book.setTriageTask(messageID: stored.id, taskID: task.id)
                    stored.taskID = task.id
                    return stored
                }
                call.context.logger.info(stored.created ? "inbound message stored" : "inbound message already stored", metadata: [
                    "tenant_id": "\(tenant.id)", "customer": "\(stored.customerID.map(String.init) ?? "none")",
                    "message_id": "\(stored.id)", "matched_by": "\(stored.matchedBy ?? "none")",
                    "task": "\(stored.taskID.map(String.init) ?? "none")",
                ])
                return .json(stored.created ? .accepted : .ok) { json in
                    json.object {
                        $0.field("object", "inbound_message")
                        $0.field("id", stored.id)
                        $0.field("customer_id", stored.customerID)
                        $0.field("matched_by", stored.matchedBy)
                        $0.field("triage_task_id", stored.direction == "inbound" ? stored.taskID : nil)
                    }
                }
            },
        ]
    }

    /// What is stored of a received message. PostgreSQL text holds no NUL, which decoded
    /// parts can contain; References are capped to their newest 100.
    static func newInboundMessage(_ mail: ReceivedMail, _ thread: InboundThread) -> NewInboundMessage {
        func clean(_ text: String) -> String { text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "") : text }
        let parsed = mail.parsed
        return NewInboundMessage(
            messageID: mail.messageID,
            inReplyTo: parsed.inReplyTo.first.map(clean),
            references: parsed.references.suffix(100).map(clean),
            fromAddress: clean(InboundThread.sender(of: parsed) ?? ""),
            toAddresses: parsed.to.map { clean($0.address) },
            ccAddresses: parsed.cc.map { clean($0.address) },
            subject: clean(parsed.subject ?? ""),
            bodyText: clean(parsed.text),
            bodyHTML: parsed.htmlBody.map(clean),
            raw: mail.raw,
            sentAt: parsed.date,
            customerID: thread.customerID,
            contactID: thread.contactID,
            matchedBy: thread.matchedBy)
    }
}
