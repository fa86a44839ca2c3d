@testable import Chaos
import Foundation
import Postgres
import Testing
import TestSupport

/// The checks after a chaos run, fed made-up evidence that holds one fault each: every fault must
/// be reported and fail the run. The evidence is as real as the run's: a migrated database, a
/// journal file, the raw mail a sink received.
@Suite("Chaos checks", .timeLimit(.minutes(2)))
struct ChaosChecksTests {
    /// What the checks read besides the database.
    struct Evidence {
        var mails: [[UInt8]]
        var journal: [String]
        var replies: [ChaosReplies.Accepted]
        var tasks: [Int64]
    }

    static let reminderID = "reminder-1@chaos-1.example"
    static let replyID = "reply-1@customer-1.example"

    /// A run that went right: two tasks enqueued and finished, one reminder at the sink and recorded
    /// as sent, one reply accepted, stored and triaged, and the customer's two runs one after the other.
    static func cleanRun(_ pool: PostgresPool) async throws -> Evidence {
        try await ChaosChecks.recordEnqueuedTasks(pool)
        let tenant = try await pool.query("INSERT INTO tenants (slug, name) VALUES ('chaos-1', 'Chaos 1') RETURNING id")[0]
            .decode(Int64.self, at: 0)
        let customer = try await pool.query("""
            INSERT INTO customers (tenant_id, external_ref, name, currency, time_zone, language)
            VALUES (\(tenant), 'C-1', 'Customer 1', 'EUR', 'Europe/Berlin', 'en') RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let tasks = try await pool.query("""
            INSERT INTO tasks (tenant_id, customer_id, kind) VALUES (\(tenant), \(customer), 'outreach'), (\(tenant), \(customer), 'reply_triage')
            RETURNING id
            """).map { try $0.decode(Int64.self, at: 0) }
        try await pool.query("""
            WITH done AS (DELETE FROM tasks RETURNING *)
            INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt, max_attempts,
                                      created_at, started_at, worker)
            SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, 'succeeded', 1, max_attempts, created_at, now(), 'w-1'
              FROM done
            """)
        try await pool.query("""
            INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, to_addresses, subject, status)
            VALUES (\(tenant), \(customer), 'outbound', \(reminderID), 'ar@chaos-1.example', '{ap@customer-1.example}', 'Reminder', 'sent'),
                   (\(tenant), \(customer), 'inbound', \(replyID), 'ap@customer-1.example', '{ar@chaos-1.example}', 'Re: Reminder', 'triaged')
            """)
        try await pool.query("UPDATE messages SET classification = 'question' WHERE direction = 'inbound'")
        let mail = """
            From: ar@chaos-1.example\r\nTo: ap@customer-1.example\r\nSubject: Reminder\r\nMessage-ID: <\(reminderID)>\r\n\
            Date: Tue, 10 Mar 2026 09:18:00 +0100\r\n\r\nPlease pay.\r\n
            """
        return Evidence(
            mails: [Array(mail.utf8)],
            journal: [
                journalLine("start", task: tasks[0], customer: customer, pid: 100, at: 1000),
                journalLine("end", task: tasks[0], customer: customer, pid: 100, at: 1001),
                journalLine("start", task: tasks[1], customer: customer, pid: 200, at: 1002),
                journalLine("end", task: tasks[1], customer: customer, pid: 200, at: 1003),
            ],
            replies: [ChaosReplies.Accepted(tenantSlug: "chaos-1", messageID: "<\(replyID)>", answer: .question)],
            tasks: tasks)
    }

    /// A line as `arrears worker --journal` writes it.
    static func journalLine(_ event: String, task: Int64, customer: Int64, pid: Int32, at: Double) -> String {
        #"{"event":"\#(event)","task":\#(task),"tenant":1,"customer":\#(customer),"kind":"outreach","attempt":1,"worker":"w-\#(pid)","pid":\#(pid),"at":\#(at)}"#
    }

    static func check(_ evidence: Evidence, _ pool: PostgresPool) async throws -> ChaosChecks.Report {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let journal = folder.path("journal.jsonl")
        try (evidence.journal.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        return try await ChaosChecks(pool: pool, mails: evidence.mails, journalPath: journal, ends: [:]).run(replies: evidence.replies)
    }

    @Test("a run without faults passes")
    func cleanRunPasses() async throws {
        try await withTestDatabase { pool, _ in
            let report = try await Self.check(try await Self.cleanRun(pool), pool)
            #expect(report.violations.isEmpty)
            #expect(report.exitStatus == 0)
        }
    }

    @Test("two runs of one customer that overlap, in different processes")
    func overlappingRuns() async throws {
        try await withTestDatabase { pool, _ in
            var evidence = try await Self.cleanRun(pool)
            // The second run starts before the first one's end.
            evidence.journal[2] = evidence.journal[2].replacingOccurrences(of: #""at":1002.0"#, with: #""at":1000.5"#)
            let report = try await Self.check(evidence, pool)
            #expect(report.violations == ["1 times a customer had two tasks running at once"])
            #expect(report.exitStatus == 1)
        }
    }

    @Test("the same Message-ID twice at the sink")
    func duplicatedMail() async throws {
        try await withTestDatabase { pool, _ in
            var evidence = try await Self.cleanRun(pool)
            evidence.mails.append(evidence.mails[0])
            let report = try await Self.check(evidence, pool)
            #expect(report.violations == [#"1 messages reached the sink more than once, e.g. ["\#(Self.reminderID)"]"#])
            #expect(report.exitStatus == 1)
        }
    }

    @Test("a task that vanished, while another finished twice so that the counts still add up")
    func vanishedTask() async throws {
        try await withTestDatabase { pool, _ in
            let evidence = try await Self.cleanRun(pool)
            let (lost, doubled) = (evidence.tasks[0], evidence.tasks[1])
            try await pool.query("DELETE FROM task_history WHERE id = \(lost)")
            try await pool.query("""
                INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt, max_attempts, created_at)
                SELECT tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt + 1, max_attempts, created_at
                  FROM task_history WHERE id = \(doubled)
                """)
            let report = try await Self.check(evidence, pool)
            #expect(report.violations.contains("1 enqueued tasks vanished, e.g. [\(lost)]"))
            #expect(report.violations.contains("1 tasks finished more than once"))
            #expect(report.exitStatus == 1)
        }
    }

    @Test("a reply a coordinator accepted that is not stored")
    func replyNotStored() async throws {
        try await withTestDatabase { pool, _ in
            var evidence = try await Self.cleanRun(pool)
            evidence.replies.append(ChaosReplies.Accepted(tenantSlug: "chaos-1", messageID: "<reply-2@customer-1.example>", answer: .absence))
            let report = try await Self.check(evidence, pool)
            #expect(report.violations == ["1 accepted replies are not stored"])
            #expect(report.exitStatus == 1)
        }
    }
}
