import AgentKit
import Dunning
import Foundation
import Mail
import Queue
import Store

/// `promise_verification`: once the promised date and the policy's grace have passed, checks the
/// balances the promise covered, marks it kept or broken, and thanks the customer for a kept one (in
/// the thread). A broken promise puts the customer up for review, where outreach resumes a stage
/// firmer and the escalation level rises.
public struct PromiseVerificationAgent: Agent {
    public static let kind = "promise_verification"
    public let environment: AgentEnvironment

    public init(environment: AgentEnvironment) {
        self.environment = environment
    }

    public struct Payload: Decodable, Sendable {
        var promiseID: Int64?

        enum CodingKeys: String, CodingKey {
            case promiseID = "promise_id"
        }
    }

    public func perform(_ payload: Payload, context: AgentContext) async throws {
        let customerID = try context.customerID()
        guard let promiseID = payload.promiseID else { throw GiveUp("the task names no promise") }
        let now = context.now
        let outcome = try await context.inTenant { tenant -> (PromiseVerdict, Promise, CustomerDossier)? in
            guard let promise = try await tenant.promise(id: promiseID), promise.customerID == customerID else {
                throw GiveUp("promise \(promiseID) does not exist for this customer")
            }
            // Resolved meanwhile (by a person, or an earlier attempt): nothing to check.
            guard promise.status == "active" else { return nil }
            guard let dossier = try await tenant.dossier(customerID: customerID, now: now) else { return nil }
            let coveredIDs = promise.coveredInvoiceIDs ?? (promise.invoiceIDs.isEmpty
                ? dossier.collectibleInvoices.filter { $0.dueOn <= promise.promisedOn }.map(\.id) : promise.invoiceIDs)
            let covered = try await tenant.invoices(ids: coveredIDs)
            let verdict = PromiseVerdict.judge(promise, covered: covered)
            var changes = PromiseChanges()
            let reasons: [String]
            switch verdict {
            case .kept(let paid):
                changes.status = .set("kept")
                reasons = ["the promise to pay by \(promise.promisedOn) was kept"
                    + (paid.flatMap { amount in promise.currency.flatMap { dossier.money(amount, $0) } }
                        .map { ": \(dossier.language.format($0)) paid" } ?? "")]
            case .broken(let paid, let missing):
                changes.status = .set("broken")
                let part = paid.flatMap { amount in amount > 0 ? promise.currency.flatMap { dossier.money(amount, $0) } : nil }
                    .map { "only \(dossier.language.format($0)) was paid; " } ?? ""
                reasons = ["the promise to pay by \(promise.promisedOn) was broken: \(part)still open: \(missing.joined(separator: ", "))"]
            }
            _ = try await tenant.updatePromise(id: promise.id, changes)
            try await tenant.audit(action: changes.status.value == "kept" ? "promise_kept" : "promise_broken",
                                   customerID: customerID, reasons: reasons, details: ["promise_id": String(promise.id)],
                                   taskID: context.task.id, at: now)
            return (verdict, promise, dossier)
        }
        guard let (verdict, promise, dossier) = outcome, case .kept = verdict else { return }
        try await thank(promise, dossier: dossier, context: context, now: now)
    }

    /// Thanks go to whoever the reminders went to; without a reachable address there is no one to thank.
    private func thank(_ promise: Promise, dossier: CustomerDossier, context: AgentContext, now: Date) async throws {
        guard let recipient = dossier.reachableContacts.first else { return }
        let outbound = try await context.inTenant { tenant in
            try TenantOutbound(settings: try await tenant.settings(), tenant: try await tenant.currentTenant(), environment: environment)
        }
        let (taskID, step) = context.deliveryKey("thanks")
        let numbers = try await context.inTenant { tenant in
            try await tenant.invoices(ids: promise.coveredInvoiceIDs ?? promise.invoiceIDs).map(\.number)
        }
        let thanks = PaymentThanks(
            sender: outbound.sender,
            customer: ReminderCustomer(name: dossier.customer.name, accountReference: dossier.customer.externalRef,
                                       language: dossier.language, timeZone: dossier.timeZone),
            to: MailAddress(recipient.email, name: recipient.name.isEmpty ? nil : recipient.name),
            invoiceNumbers: numbers, promisedOn: promise.promisedOn, thread: dossier.threadTail, now: now,
            taskID: taskID, step: step)
        let mail = thanks.mail
        let ledger = CustomerThreadLedger(customerID: dossier.customer.id, contactID: recipient.id,
                                          invoiceIDs: promise.coveredInvoiceIDs ?? promise.invoiceIDs, taskID: context.task.id, at: now)
        try await MailDelivery(context: context, outbound: outbound, ledger: ledger).deliver(messageID: mail.messageID, compose: {
            mail
        }, record: { tenant, message, outcome in
            guard outcome == .sent else { return }
            try await tenant.audit(action: "thanks_sent", customerID: dossier.customer.id,
                                   reasons: ["thanked \(recipient.email) for keeping the promise"],
                                   details: ["message_id": message.messageID], taskID: context.task.id, at: now)
        })
    }
}
