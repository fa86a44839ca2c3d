import AgentKit
import Dunning
import Foundation
import Mail
import Queue
import Store

/// `outreach`: writes and sends the reminder a review decided on — one message for the customer,
/// naming every invoice it covers with amount, due date and days overdue, acknowledging recent
/// payments and promises, in the customer's language, answering the last message of the thread, from
/// the tenant's AR sender. The book is read again first, so nothing paid, disputed or promised since
/// the decision is chased, and a reply still waiting to be read holds the reminder back.
public struct OutreachAgent: Agent {
    public static let kind = "outreach"
    /// The reminder is the task's one mail; its Message-ID comes from the task and this step.
    static let step = "reminder"
    public let environment: AgentEnvironment

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var stage: String
        var tone: Tone
        var invoiceIDs: [Int64]
        var optOutLineRequired: Bool?
        var escalationLevel: Int?

        enum CodingKeys: String, CodingKey {
            case stage, tone
            case invoiceIDs = "invoice_ids"
            case optOutLineRequired = "opt_out_line_required"
            case escalationLevel = "escalation_level"
        }
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let customerID = try context.customerID()
        let now = context.now
        let (dossier, policy, outbound) = try await context.inTenant { tenant in
            guard let dossier = try await tenant.dossier(customerID: customerID, now: now) else {
                throw GiveUp("the customer no longer exists")
            }
            let outbound = try TenantOutbound(settings: try await tenant.settings(), tenant: try await tenant.currentTenant(),
                                              environment: environment)
            return (dossier, try await tenant.dunningPolicy(), outbound)
        }

        let plan: ReminderPlan
        switch ReminderCheck.check(dossier, invoiceIDs: payload.invoiceIDs, escalationLevel: payload.escalationLevel ?? 0,
                                   policy: policy, now: now) {
        case .wait(let reason):
            throw RetryLater(after: .seconds(30), reason: reason)
        case .skip(let reason, let discoverContact):
            // An earlier attempt killed mid-send leaves its record open; settle it before giving up the send.
            let messageID = outbound.sender.messageID(taskID: context.deliveryKey(Self.step).taskID, step: Self.step)
            try await MailDelivery(context: context, outbound: outbound,
                                   ledger: CustomerThreadLedger(customerID: customerID, contactID: nil, invoiceIDs: [],
                                                                taskID: context.task.id, at: now))
                .abandon(messageID: messageID, reason: reason)
            try await context.inTenant { tenant in
                try await tenant.audit(action: "reminder_skipped", customerID: customerID, reasons: [reason],
                                       details: ["stage": payload.stage], taskID: context.task.id, at: now)
                if discoverContact {
                    try await context.enqueue([try FollowUpTasks.contactDiscovery(
                        tenantID: context.task.tenantID, customerID: customerID, reason: reason)],
                                              in: tenant)
                }
            }
            return
        case .send(let ready):
            plan = ready
        }

        let request = reminderRequest(plan, payload: payload, dossier: dossier, sender: outbound.sender, now: now,
                                      taskID: context.deliveryKey(Self.step).taskID)
        let messageID = outbound.sender.messageID(taskID: request.taskID, step: request.step)
        let numbers = plan.invoices.map(\.number).joined(separator: ", ")
        let drafted = DraftHolder()
        let ledger = CustomerThreadLedger(customerID: customerID, contactID: plan.recipient.id, stage: payload.stage,
                                          tone: payload.tone.rawValue, invoiceIDs: plan.invoices.map(\.id),
                                          taskID: context.task.id, at: now)
        try await MailDelivery(context: context, outbound: outbound, ledger: ledger).deliver(messageID: messageID, compose: {
            let draft = await compose(request, context: context)
            await drafted.set(draft)
            return draft.mail
        }, record: { tenant, message, outcome in
            let draft = await drafted.value
            var reasons: [String]
            let action: String
            switch outcome {
            case .sent:
                action = "reminder_sent"
                reasons = ["sent a \(payload.tone.rawValue) \(payload.stage) reminder for \(numbers) to \(plan.recipient.email)"]
            case .unconfirmed(let why):
                action = "reminder_unconfirmed"
                reasons = ["the \(payload.stage) reminder for \(numbers) may not have arrived and is not sent again: \(why)"]
            case .failed(let why):
                action = "reminder_failed"
                reasons = ["the mail server refused the \(payload.stage) reminder for \(numbers): \(why)"]
            }
            reasons += draft?.fallbackReasons.map { "language model draft not used: \($0)" } ?? []
            try await tenant.audit(action: action, customerID: customerID, reasons: reasons, details: [
                "message_id": message.messageID, "stage": payload.stage, "tone": payload.tone.rawValue, "invoices": numbers,
                "written_by": draft?.source.rawValue ?? DraftedReminder.Source.template.rawValue,
            ], taskID: context.task.id, at: now)
        })
    }

    private func compose(_ request: ReminderRequest, context: AgentContext) async -> DraftedReminder {
        if let model = environment.languageModel {
            return await ReminderDrafter(client: model, logger: context.logger).draft(request)
        }
        return DraftedReminder(mail: ReminderComposer().compose(request).mail, source: .template, fallbackReasons: [])
    }

    private func reminderRequest(_ plan: ReminderPlan, payload: Payload, dossier: CustomerDossier, sender: SenderIdentity,
                                 now: Date, taskID: String) -> ReminderRequest {
        let today = dossier.today(at: now)
        let invoices = plan.invoices.compactMap { invoice in
            dossier.money(invoice.openAmount, invoice.currency).map {
                ReminderInvoice(number: invoice.number, openAmount: $0, dueOn: invoice.dueOn)
            }
        }
        let recentPayment = dossier.recentPayments.first { $0.receivedOn >= today.adding(days: -30) }.flatMap { payment in
            dossier.money(payment.amount, payment.currency).map { ReceivedPayment(amount: $0, receivedOn: payment.receivedOn) }
        }
        let promise = dossier.promises.first { ["active", "kept", "broken"].contains($0.status) }.flatMap(dossier.promiseValue)
        let history = ReminderHistory(
            recentPayment: recentPayment, promise: promise,
            previousReminderOn: dossier.previousReminders.first.map { dossier.today(at: $0.sentAt ?? $0.createdAt) })
        let customer = ReminderCustomer(name: dossier.customer.name, accountReference: dossier.customer.externalRef,
                                        language: dossier.language, timeZone: dossier.timeZone)
        return ReminderRequest(
            sender: sender, customer: customer,
            to: MailAddress(plan.recipient.email, name: plan.recipient.name.isEmpty ? nil : plan.recipient.name),
            cc: plan.cc.map { MailAddress($0) }, tone: payload.tone, invoices: invoices, history: history,
            includesOptOut: payload.optOutLineRequired ?? dossier.customer.isConsumer, thread: dossier.threadTail,
            now: now, taskID: taskID, step: Self.step)
    }
}

/// The draft composed inside the delivery, for the audit event written when it settles.
private actor DraftHolder {
    private(set) var value: DraftedReminder?

    func set(_ draft: DraftedReminder) {
        value = draft
    }
}
