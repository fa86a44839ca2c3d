import AgentKit
import Dunning
import Foundation
import Mail
import Queue
import Store
import Triage

/// What a reply leads to, applied in the tenant transaction that stores the reading: every write is
/// keyed by the message (one promise, one dispute per reply), so nothing happens twice.
struct ReplyEffects {
    let tenant: TenantStore
    let context: AgentContext
    let loaded: ReplyTriageAgent.Loaded
    let reading: ReplyTriageAgent.Reading
    let now: Date

    private var message: Message { loaded.inbound.message }
    private var result: TriageResult { reading.result }

    func apply() async throws {
        try await tenant.recordTriage(messageID: message.id, classification: result.kind.rawValue, triageJSON: try Self.json(result))
        guard let dossier = loaded.dossier else {
            try await audit(customerID: nil, action: "reply_unmatched",
                            reasons: ["read as \(result.kind.rawValue), but it matches no customer: a person should look at it"])
            return
        }
        let customerID = dossier.customer.id
        let today = dossier.today(at: now)
        let rules = loaded.policy.replies
        var done: [String]
        switch result.kind {
        case .promiseToPay:
            done = try await recordPromise(dossier, today: today, rules: rules)
        case .dispute:
            done = try await openDispute(dossier)
        case .alreadyPaid:
            let until = today.adding(days: rules.alreadyPaidPauseDays)
            try await tenant.pauseOutreach(customerID: customerID, until: until)
            done = ["outreach waits until \(until) for the payment the customer reports to arrive"]
        case .outOfOffice:
            done = try await holdForAbsence(dossier, today: today, rules: rules)
        case .bounce:
            done = try await retireBouncedAddresses(dossier)
        case .contactChange:
            done = try await applyNewContact(dossier)
        case .unsubscribe:
            let sender = message.fromAddress
            try await tenant.setContactStatus(customerID: customerID, emails: [sender], status: "opted_out")
            try await tenant.suppress(email: sender, reason: "opt_out")
            done = ["\(sender) asked not to be written to again: opted out and suppressed"]
        case .question, .other:
            done = try await handToPerson(dossier, today: today, rules: rules)
        }
        // Replies written by a person end the run of unanswered reminders; machines' do not.
        if ![.bounce, .outOfOffice].contains(result.kind) {
            try await tenant.noteReply(customerID: customerID, at: now)
        }
        try await audit(customerID: customerID, action: "reply_triaged",
                        reasons: ["read as \(result.kind.rawValue) (\(reading.source.rawValue), confidence \(Self.percent(result.confidence)))"]
                            + result.reasons + done)
    }

    // MARK: - Kinds

    private func recordPromise(_ dossier: CustomerDossier, today: CalendarDate, rules: ReplyRules) async throws -> [String] {
        let byNumber = Dictionary(dossier.openInvoices.map { ($0.number, $0.id) }, uniquingKeysWith: { first, _ in first })
        let dated = result.promisedOn.map { $0 >= today } ?? false
        // Without a usable date the promise waits as a draft for a person, and outreach holds off meanwhile.
        let promisedOn = dated ? result.promisedOn! : today.adding(days: rules.promiseWithoutDateDays)
        let currency = result.amountMinorUnits == nil ? nil : (result.currency?.code ?? dossier.customer.currency)
        guard let promise = try await tenant.createPromise(NewPromise(
            customerID: dossier.customer.id, promisedOn: promisedOn, amount: result.amountMinorUnits, currency: currency,
            invoiceIDs: result.invoices.compactMap { byNumber[$0] }, status: dated ? "active" : "draft",
            note: String(reading.newText.prefix(500)), sourceMessageID: message.id))
        else { return [] }
        var done: [String] = []
        if dated {
            // The newest promise is the one the customer holds to.
            for earlier in dossier.promises where earlier.status == "active" && earlier.id != promise.id {
                var changes = PromiseChanges()
                changes.status = .set("cancelled")
                _ = try await tenant.updatePromise(id: earlier.id, changes)
                done.append("promise \(earlier.id) for \(earlier.promisedOn) replaced by the new one")
            }
            let amount = currency.flatMap { code in result.amountMinorUnits.flatMap { dossier.money($0, code) } }
            done.insert("recorded a promise to pay\(amount.map { " \(dossier.language.format($0))" } ?? "") on \(promisedOn); "
                        + "no reminders for what it covers until then", at: 0)
        } else {
            try await tenant.pauseOutreach(customerID: dossier.customer.id, until: promisedOn)
            done.append("the reply promises payment without a date: a draft promise for \(promisedOn) awaits approval, "
                        + "and outreach waits until then")
        }
        return done
    }

    private func openDispute(_ dossier: CustomerDossier) async throws -> [String] {
        let byNumber = Dictionary(dossier.openInvoices.map { ($0.number, $0.id) }, uniquingKeysWith: { first, _ in first })
        var invoiceIDs = result.invoices.compactMap { byNumber[$0] }
        if invoiceIDs.isEmpty, let answered = try await tenant.message(referencedBy: message.references + [message.inReplyTo].compactMap { $0 }) {
            // The reply disputes what the reminder it answers asked for.
            let open = Set(dossier.openInvoices.map(\.id))
            invoiceIDs = answered.invoiceIDs.filter(open.contains)
        }
        guard !invoiceIDs.isEmpty else {
            return try await handToPerson(dossier, today: dossier.today(at: now), rules: loaded.policy.replies,
                                          why: "the customer disputes something, but no open invoice could be identified")
        }
        let reason = reading.newText.isEmpty ? "disputed by reply" : String(reading.newText.prefix(500))
        guard let dispute = try await tenant.openDispute(NewDispute(customerID: dossier.customer.id, invoiceIDs: invoiceIDs,
                                                                    reason: reason, sourceMessageID: message.id))
        else { return [] }
        let numbers = dossier.openInvoices.filter { invoiceIDs.contains($0.id) }.map(\.number)
        return ["opened dispute \(dispute.id) for \(numbers.joined(separator: ", ")): not chased until it is resolved"]
    }

    private func holdForAbsence(_ dossier: CustomerDossier, today: CalendarDate, rules: ReplyRules) async throws -> [String] {
        let back = result.returnOn.flatMap { $0 > today ? $0 : nil } ?? today.adding(days: rules.outOfOfficeDefaultDays)
        try await tenant.pauseOutreach(customerID: dossier.customer.id, until: back)
        var done = ["\(message.fromAddress) is away; outreach waits until \(back)"]
        if let standIn = result.newContact?.email, isUsableAddress(standIn, in: dossier) {
            let (contact, created) = try await tenant.adoptDiscoveredContact(
                customerID: dossier.customer.id, email: standIn, name: result.newContact?.name, role: "billing", apply: false)
            if created {
                let proposal = "proposed the stand-in \(contact.email) named in the auto-reply as a contact"
                try await audit(customerID: dossier.customer.id, action: "contact_proposed", reasons: [proposal])
                done.append(proposal)
            }
        }
        return done
    }

    private func retireBouncedAddresses(_ dossier: CustomerDossier) async throws -> [String] {
        guard result.bounce == .hard else {
            return ["a temporary delivery problem (soft bounce): the address stays in use"]
        }
        let report = reading.parsed?.deliveryStatus
        let answered = try await tenant.message(
            referencedBy: [report?.originalMessageID].compactMap { $0 } + message.references + [message.inReplyTo].compactMap { $0 })
        var addresses = report?.failures.filter { $0.statusClass == .permanentFailure }
            .compactMap { $0.finalRecipient ?? $0.originalRecipient }.map(Self.bareAddress) ?? []
        if addresses.isEmpty, let answered, answered.direction == "outbound" {
            addresses = answered.toAddresses
        }
        let known = Set(dossier.contacts.map { $0.email.lowercased() })
        addresses = Array(Set(addresses.map { $0.lowercased() })).filter(known.contains).sorted()
        guard !addresses.isEmpty else {
            return try await handToPerson(dossier, today: dossier.today(at: now), rules: loaded.policy.replies,
                                          why: "a message bounced, but not from an address of this customer's contacts")
        }
        try await tenant.setContactStatus(customerID: dossier.customer.id, emails: addresses, status: "bounced")
        for address in addresses { try await tenant.suppress(email: address, reason: "hard_bounce") }
        if let answered, answered.direction == "outbound" {
            try await tenant.setOutboundStatus(messageID: answered.id, to: .bounced, from: [.sent, .unconfirmed])
        }
        try await context.enqueue([try FollowUpTasks.contactDiscovery(
            tenantID: context.task.tenantID, customerID: dossier.customer.id,
            reason: "mail to \(addresses.joined(separator: ", ")) bounced")], in: tenant)
        return ["\(addresses.joined(separator: ", ")) bounced for good: marked bounced, suppressed, and contact discovery started"]
    }

    private func applyNewContact(_ dossier: CustomerDossier) async throws -> [String] {
        guard let email = result.newContact?.email, isUsableAddress(email, in: dossier) else {
            return try await handToPerson(dossier, today: dossier.today(at: now), rules: loaded.policy.replies,
                                          why: "the customer names someone else to write to, but no usable new address was found")
        }
        let apply = loaded.policy.contactDiscovery.autoApply
        let sender = dossier.contacts.first { $0.email.lowercased() == message.fromAddress.lowercased() }
        let (contact, _) = try await tenant.adoptDiscoveredContact(
            customerID: dossier.customer.id, email: email, name: result.newContact?.name, role: sender?.role ?? "billing",
            apply: apply)
        let said = apply
            ? "\(message.fromAddress) asked to write to \(contact.email) instead: it is now the primary contact"
            : "\(message.fromAddress) asked to write to \(contact.email) instead: proposed for approval (policy)"
        try await audit(customerID: dossier.customer.id, action: apply ? "contact_discovered" : "contact_proposed", reasons: [said])
        return [said]
    }

    /// Questions and anything unclear go to a person: outreach pauses briefly so nobody is chased
    /// while waiting for our answer, and the account owner is told.
    private func handToPerson(_ dossier: CustomerDossier, today: CalendarDate, rules: ReplyRules,
                              why: String? = nil) async throws -> [String] {
        let reason = why ?? (result.kind == .question
            ? "the customer asked a question: \(Self.excerpt(reading.newText))"
            : "the reply could not be classified with confidence: \(Self.excerpt(reading.newText))")
        var done = [reason]
        if rules.questionPauseDays > 0 {
            let until = today.adding(days: rules.questionPauseDays)
            try await tenant.pauseOutreach(customerID: dossier.customer.id, until: until)
            done.append("outreach waits until \(until) for a person to answer")
        }
        if dossier.customer.accountOwnerEmail != nil {
            try await context.enqueue([try FollowUpTasks.ownerNotice(
                tenantID: context.task.tenantID, customerID: dossier.customer.id, reasons: [reason])], in: tenant)
            done.append("the account owner is told")
        }
        return done
    }

    // MARK: - Helpers

    private func isUsableAddress(_ email: String, in dossier: CustomerDossier) -> Bool {
        let lower = email.lowercased()
        return MailAddress(parsing: email) != nil
            && !loaded.ownAddresses.contains { $0.lowercased() == lower }
            && !dossier.contacts.contains { $0.email.lowercased() == lower && ["bounced", "opted_out", "rejected"].contains($0.status) }
    }

    private func audit(customerID: Int64?, action: String, reasons: [String]) async throws {
        try await tenant.audit(action: action, customerID: customerID, reasons: reasons, details: [
            "message_id": String(message.id), "kind": result.kind.rawValue, "source": reading.source.rawValue,
        ], taskID: context.task.id, at: now)
    }

    static func json(_ result: TriageResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(result), as: UTF8.self)
    }

    static func percent(_ confidence: Double) -> String { "\(Int((confidence * 100).rounded()))%" }

    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return line.count > 160 ? String(line.prefix(157)) + "…" : line
    }

    /// `rfc822; ap@customer.example` → `ap@customer.example`.
    static func bareAddress(_ recipient: String) -> String {
        let value = recipient.split(separator: ";", maxSplits: 1).last.map(String.init) ?? recipient
        return value.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "<>")))
    }
}
