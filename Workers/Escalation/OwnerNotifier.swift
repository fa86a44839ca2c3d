import AgentKit
import Dunning
import Foundation
import Mail
import Store

/// Tells a customer's account owner what they need to take over: the overdue figures, the oldest
/// invoice, promises, the latest messages and what the agents did, by mail to the owner and by the
/// tenant's webhook when it has one. The mail goes at most once per task; the webhook carries a
/// delivery id that is the same on every retry, so the receiver can drop repeats.
struct OwnerNotifier {
    let context: AgentContext
    let environment: AgentEnvironment

    struct Delivered {
        var channels: [Notice.Channel]
        var reasons: [String]
    }

    func notify(_ dossier: CustomerDossier, reasons: [String], outreachPaused: Bool, now: Date) async throws -> Delivered {
        let customerID = dossier.customer.id
        let (outbound, actions) = try await context.inTenant { tenant in
            let outbound = try TenantOutbound(settings: try await tenant.settings(), tenant: try await tenant.currentTenant(),
                                              environment: environment)
            let events = try await tenant.recentAuditEvents(customerID: customerID, limit: 10)
            return (outbound, events.filter { $0.actor.hasPrefix("agent:") || $0.actor == "scheduler" })
        }
        let notice = OwnerNotice(
            customerName: dossier.customer.name, accountReference: dossier.customer.externalRef,
            escalationLevel: dossier.customer.escalationLevel, reasons: reasons, openInvoices: dossier.openInvoiceValues,
            promises: dossier.promiseValues, messages: dossier.threadMessages,
            actions: actions.reversed().map { AgentAction(at: $0.createdAt, description: $0.reasons.first ?? $0.action) },
            outreachPaused: outreachPaused, today: dossier.today(at: now), timeZone: dossier.timeZone)

        var delivered = Delivered(channels: [], reasons: [])
        if let owner = dossier.customer.accountOwnerEmail.flatMap(MailAddress.init(parsing:)) {
            let (taskID, step) = context.deliveryKey("owner-notice")
            let mail = notice.mail(from: outbound.sender.address, to: owner, language: .english, now: now,
                                   taskID: taskID, step: step, messageIDDomain: outbound.sender.messageIDDomain)
            let ledger = NotificationLedger(customerID: customerID, event: OwnerNotice.Payload.event, taskID: context.task.id, at: now)
            let outcome = try await MailDelivery(context: context, outbound: outbound, ledger: ledger)
                .deliver(messageID: mail.messageID, compose: { mail })
            switch outcome {
            case .sent, nil: delivered.channels.append(.mail)
            case .unconfirmed(let why): delivered.reasons.append("the mail to \(owner.address) may not have arrived: \(why)")
            case .failed(let why): delivered.reasons.append("the mail to \(owner.address) was refused: \(why)")
            }
        }
        if let webhook = outbound.webhook {
            let deliveryID = "task-\(context.task.id)-owner-notice"
            let body = try WebhookNotifier.body(notice.payload)
            let recorded = try await context.inTenant { tenant in
                try await tenant.recordNotice(customerID: customerID, channel: .webhook, recipient: webhook.url,
                                              deliveryKey: deliveryID, event: OwnerNotice.Payload.event, body: body,
                                              taskID: context.task.id, at: now)
            }
            if recorded.status != OutboundStatus.sent.rawValue {
                do {
                    try await environment.webhooks.deliver(body: recorded.body, event: OwnerNotice.Payload.event,
                                                           deliveryID: deliveryID, to: webhook.url, secret: webhook.secret)
                    try await context.inTenant { tenant in
                        try await tenant.setNoticeStatus(id: recorded.id, to: .sent, from: [.pending], sentAt: now)
                    }
                    delivered.channels.append(.webhook)
                } catch let error as WebhookError where error.isTemporary {
                    throw error
                } catch {
                    try await context.inTenant { tenant in
                        try await tenant.setNoticeStatus(id: recorded.id, to: .failed, from: [.pending], error: "\(error)")
                    }
                    delivered.reasons.append("the webhook to \(webhook.url) failed: \(error)")
                }
            } else {
                delivered.channels.append(.webhook)
            }
        }
        if dossier.customer.accountOwnerEmail == nil, outbound.webhook == nil {
            delivered.reasons.append("nobody to tell: the customer has no account owner and the tenant no webhook")
        }
        return delivered
    }
}
