import Dunning
import Foundation
import Postgres
import Queue
import Store

/// The agent tasks a decision calls for, one per action, as the queue takes them. The kind is the
/// action's (`outreach`, `contact_discovery`, `promise_verification`, `escalation`, `notify_owner`);
/// the payload carries what the agent needs so it can act without deciding again.
///
/// Every task has a dedupe key, so while one waits, the same work is not queued again — whatever
/// makes the customer come up again (a re-run, an event, a second scheduler during failover, a
/// week of workers being down):
/// - `outreach:<customer>` — one waiting reminder per customer, whatever its stage;
/// - `contact_discovery:<customer>`;
/// - `promise_verification:<customer>:<promise id>` — one check per promise;
/// - `escalation:<customer>:<level>` — one per level reached;
/// - `notify_owner:<customer>`.
enum AgentTasks {
    static func tasks(for customer: CustomerUnderReview, exposure: Exposure, decision: Decision, at now: Date) -> [NewTask] {
        decision.actions.map { action in
            let key = customer.key
            var payload = JSONObjectText()
            payload.add("customer_id", key.customerID)
            payload.add("customer", decision.customer)
            payload.add("decided_at", InstantText.format(now))
            payload.add("escalation_level", decision.escalationLevel)
            payload.add("invoices", action.invoices)
            payload.add("invoice_ids", action.invoices.compactMap { customer.invoiceIDs[$0] })
            let dedupeKey: String
            switch action {
            case .outreach(let stage, let tone, _, let optOutLineRequired):
                payload.add("stage", stage)
                payload.add("tone", tone.rawValue)
                payload.add("opt_out_line_required", optOutLineRequired)
                dedupeKey = action.kind.dedupeKey(customerID: key.customerID)
            case .contactDiscovery:
                payload.add("contact_health", exposure.contactHealth.rawValue)
                payload.add("reminders_without_reply", exposure.activity.remindersWithoutReply)
                dedupeKey = action.kind.dedupeKey(customerID: key.customerID)
            case .promiseVerification:
                let promise = exposure.activePromise
                let promiseID = promise.flatMap(customer.id(of:))
                if let promiseID { payload.add("promise_id", promiseID) } else { payload.addNull("promise_id") }
                payload.add("promised_on", promise.map(\.promisedOn.description))
                dedupeKey = action.kind.dedupeKey(
                    customerID: key.customerID,
                    qualifier: promiseID.map(String.init) ?? promise.map(\.promisedOn.description) ?? "")
            case .escalation(let level, _):
                payload.add("level", level)
                payload.add("previous_level", exposure.profile.escalationLevel)
                payload.add("reasons", decision.reasons)
                dedupeKey = action.kind.dedupeKey(customerID: key.customerID, qualifier: String(level))
            case .notifyOwner:
                payload.add("owner_email", customer.accountOwnerEmail)
                payload.add("reasons", decision.reasons)
                dedupeKey = action.kind.dedupeKey(customerID: key.customerID)
            }
            return NewTask(tenantID: key.tenantID, customerID: key.customerID, kind: action.kind.rawValue,
                           payload: PostgresJSON(payload.finished), dedupeKey: dedupeKey)
        }
    }
}

/// What the audit event of a review records besides its reasons: the actions as `arrears plan`
/// prints them, the levels, the next review and which scheduler decided.
enum AuditDetails {
    static func json(decision: Decision, previousLevel: Int, scheduler: String) -> String {
        var actions = JSONArrayText()
        for action in decision.actions {
            var object = JSONObjectText()
            object.add("kind", action.kind.rawValue)
            if case .outreach(let stage, let tone, _, _) = action {
                object.add("stage", stage)
                object.add("tone", tone.rawValue)
            } else {
                object.addNull("stage")
                object.addNull("tone")
            }
            object.add("invoices", action.invoices)
            actions.append(object)
        }
        var details = JSONObjectText()
        details.add("actions", json: actions.finished)
        details.add("escalation_level", decision.escalationLevel)
        details.add("previous_escalation_level", previousLevel)
        details.add("next_review_on", decision.nextReviewOn.description)
        details.add("next_review_at", InstantText.format(decision.nextReviewAt))
        details.add("scheduler", scheduler)
        return details.finished
    }
}
