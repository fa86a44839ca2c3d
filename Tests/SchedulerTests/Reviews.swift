import Dunning
import Foundation
import Logging
import Postgres
import Scheduler
import Store

/// Runs the scheduler's review and reads back what it left in the database.
enum Reviews {
    static func run(_ pool: PostgresPool, at now: Date, name: String = "test-scheduler") async throws -> Reviewer.Summary {
        var configuration = Reviewer.Configuration()
        configuration.schedulerName = name
        return try await Reviewer(pool: pool, configuration: configuration, logger: Logger(label: "test")).reviewDue(at: now)
    }

    /// What `arrears plan` decides for one customer on `date`.
    static func planned(_ pool: PostgresPool, on date: String, customer: String) async throws -> Decision {
        var decisions: [Decision] = []
        try await DryRun(pool: pool).decisions(tenant: "acme", on: CalendarDate(date)!, customer: customer) { decisions += $0 }
        return decisions[0]
    }

    struct QueuedTask: Equatable {
        let kind: String
        let payload: Payload
        let dedupeKey: String
    }

    /// The task payload fields tests look at.
    struct Payload: Decodable, Equatable {
        var customer: String
        var invoices: [String]
        var invoice_ids: [Int64]
        var stage: String?
        var tone: String?
        var level: Int?
        var promise_id: Int64?
        var escalation_level: Int
    }

    static func tasks(_ pool: PostgresPool, customer: Int64) async throws -> [QueuedTask] {
        try await pool.query("SELECT kind, payload, dedupe_key FROM tasks WHERE customer_id = \(customer) ORDER BY id").map { row in
            let (kind, payload, key) = try row.decode((String, PostgresJSON, String).self)
            return QueuedTask(kind: kind, payload: try payload.decode(Payload.self), dedupeKey: key)
        }
    }

    struct AuditEvent: Equatable {
        let actor: String
        let action: String
        let reasons: [String]
        let scheduler: String
    }

    static func auditEvents(_ pool: PostgresPool, customer: Int64) async throws -> [AuditEvent] {
        try await pool.query("""
            SELECT actor, action, reasons, details->>'scheduler' FROM audit_events WHERE customer_id = \(customer) ORDER BY id
            """).map { row in
            let (actor, action, reasons, scheduler) = try row.decode((String, String, [String], String).self)
            return AuditEvent(actor: actor, action: action, reasons: reasons, scheduler: scheduler)
        }
    }

    struct StoredCustomer: Equatable {
        let escalationLevel: Int
        let nextReviewAt: Date
        let lastOutreachStage: String?
        let remindersWithoutReply: Int
        let contactDiscoveryAt: Date?
        let ownerNotifiedAt: Date?
    }

    static func customer(_ pool: PostgresPool, _ id: Int64) async throws -> StoredCustomer {
        let row = try await pool.query("""
            SELECT escalation_level, next_review_at, last_outreach_stage, reminders_without_reply,
                   last_contact_discovery_at, last_owner_notification_at
              FROM customers WHERE id = \(id)
            """)[0]
        let (level, next, stage, unanswered, discovery, owner) = try row.decode((Int, Date, String?, Int, Date?, Date?).self)
        return StoredCustomer(escalationLevel: level, nextReviewAt: next, lastOutreachStage: stage,
                              remindersWithoutReply: unanswered, contactDiscoveryAt: discovery, ownerNotifiedAt: owner)
    }
}

extension Action {
    /// The task kind and invoices a plan's action should have become.
    var queued: (kind: String, invoices: [String]) { (kind.rawValue, invoices) }
}
