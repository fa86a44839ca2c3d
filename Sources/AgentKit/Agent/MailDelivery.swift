import Curl
import Foundation
import Logging
import Mail
import Store

/// What became of a mail.
public enum MailDeliveryOutcome: Sendable, Equatable {
    case sent
    /// It may or may not have arrived; it is not sent again.
    case unconfirmed(String)
    /// The server refused it for good.
    case failed(String)
}

/// Sends a mail at most once per Message-ID (which agents derive from task and step): it is recorded
/// (`pending`) with its bytes before anything is sent, marked `sending` before the server is
/// contacted, and `sent` after. A retry that finds `sending` cannot know whether the earlier attempt
/// got through, so it records the mail as `unconfirmed` and does not send it again.
public struct MailDelivery<Ledger: MailLedger>: Sendable {
    public let context: AgentContext
    public let outbound: TenantOutbound
    public let ledger: Ledger

    public init(context: AgentContext, outbound: TenantOutbound, ledger: Ledger) {
        self.context = context
        self.outbound = outbound
        self.ledger = ledger
    }

    /// The agent decided to send nothing after all. A mail an earlier attempt of the task left in
    /// flight is settled, so no record stays open: `sending` as unconfirmed (it may have gone out),
    /// `pending` as failed (it never reached a server).
    public func abandon(messageID: String, reason: String) async throws {
        try await context.inTenant { tenant in
            guard let entry = try await ledger.entry(messageID: messageID, in: tenant) else { return }
            switch entry.status {
            case .sending:
                _ = try await ledger.move(entry, to: .unconfirmed, from: [.sending],
                                          error: "an earlier attempt was interrupted after handing it to the mail server; then no longer needed: \(reason)",
                                          sentAt: nil, in: tenant)
            case .pending:
                _ = try await ledger.move(entry, to: .failed, from: [.pending], error: "not sent: \(reason)", sentAt: nil, in: tenant)
            default:
                break
            }
        }
    }

    /// Delivers the mail with `messageID`, composing it with `compose` only if no earlier attempt
    /// recorded it (a retry sends the recorded bytes). `record` runs in the transaction that stores the
    /// final status, so what the agent writes about the outcome (its audit event) commits with it. Nil,
    /// and `record` not run, when an earlier attempt already settled the mail.
    @discardableResult
    public func deliver(
        messageID: String,
        compose: () async throws -> OutgoingMail,
        record: @Sendable (TenantStore, LedgerEntry, MailDeliveryOutcome) async throws -> Void = { _, _, _ in }
    ) async throws -> MailDeliveryOutcome? {
        var found = try await context.inTenant { try await ledger.entry(messageID: messageID, in: $0) }
        if found == nil {
            let mail = try await compose()
            found = try await context.inTenant { try await ledger.record(mail, in: $0) }
        }
        guard let entry = found else { return nil }

        switch entry.status {
        case .sent, .bounced, .failed, .unconfirmed:
            return nil
        case .sending:
            context.logger.warning("mail may have gone out already; not sending it again", metadata: ["message_id": "\(messageID)"])
            return try await settle(entry, as: .unconfirmed(
                "an earlier attempt was interrupted after handing it to the mail server; not sent again"), record: record)
        case .pending, nil:
            break
        }

        let claimed = try await context.inTenant { tenant in
            try await ledger.move(entry, to: .sending, from: [.pending], error: nil, sentAt: nil, in: tenant)
        }
        guard claimed else { return nil }
        do {
            try await outbound.mailer.send(raw: entry.raw, envelope: SMTPEnvelope(sender: outbound.envelopeSender,
                                                                                   recipients: entry.recipients),
                                           via: outbound.smtp)
        } catch {
            switch error.kind {
            case .temporary:
                // Nothing reached the server: back to pending, and the task's retry sends it.
                try await context.inTenant { tenant in
                    _ = try await ledger.move(entry, to: .pending, from: [.sending], error: error.description, sentAt: nil, in: tenant)
                }
                throw error
            case .permanent:
                return try await settle(entry, as: .failed(error.description), record: record)
            case .unconfirmed:
                return try await settle(entry, as: .unconfirmed(error.description), record: record)
            }
        }
        return try await settle(entry, as: .sent, record: record)
    }

    private func settle(
        _ entry: LedgerEntry, as outcome: MailDeliveryOutcome,
        record: @Sendable (TenantStore, LedgerEntry, MailDeliveryOutcome) async throws -> Void
    ) async throws -> MailDeliveryOutcome? {
        let now = context.now
        let settled = try await context.inTenant { tenant in
            let moved = switch outcome {
            case .sent: try await ledger.move(entry, to: .sent, from: [.sending], error: nil, sentAt: now, in: tenant)
            case .failed(let reason): try await ledger.move(entry, to: .failed, from: [.sending], error: reason, sentAt: nil, in: tenant)
            case .unconfirmed(let reason):
                try await ledger.move(entry, to: .unconfirmed, from: [.sending], error: reason, sentAt: nil, in: tenant)
            }
            if moved { try await record(tenant, entry, outcome) }
            return moved
        }
        return settled ? outcome : nil
    }
}
