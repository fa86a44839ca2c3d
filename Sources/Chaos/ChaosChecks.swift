import Foundation
import Mail
import Postgres

/// What a chaos run must leave true, checked against the database, the mail that reached the sink
/// and the workers' execution journal once the queue has drained.
public struct ChaosChecks: Sendable {
    public struct Report: Sendable {
        public var lines: [String] = []
        public var violations: [String] = []

        /// What `arrears bench chaos` exits with: 1 on any violation.
        public var exitStatus: Int32 { violations.isEmpty ? 0 : 1 }
    }

    let pool: PostgresPool
    /// Every message the sink received, as received.
    let mails: [[UInt8]]
    let journalPath: String
    /// When each worker process ended, by pid: killed ones at the SIGKILL, the rest when stopped.
    let ends: [Int32: Date]

    public init(pool: PostgresPool, mails: [[UInt8]], journalPath: String, ends: [Int32: Date]) {
        self.pool = pool
        self.mails = mails
        self.journalPath = journalPath
        self.ends = ends
    }

    /// Records the id of every task ever inserted into `tasks` (first enqueue, retries, releases)
    /// in `chaos_enqueued`, by a trigger on the run's own database, so the checks can tell a task
    /// that vanished from every queue table. A statement-level trigger: one insert per batch.
    public static func recordEnqueuedTasks(_ pool: PostgresPool) async throws {
        try await pool.query("""
            CREATE TABLE chaos_enqueued (tenant_id bigint NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id))
            """)
        // Security definer: workers and coordinators enqueue as arrears_app, which may not write here.
        try await pool.query("""
            CREATE FUNCTION chaos_record_enqueued() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
            BEGIN
                INSERT INTO chaos_enqueued SELECT tenant_id, id FROM inserted ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$
            """)
        try await pool.query("""
            CREATE TRIGGER chaos_record_enqueued AFTER INSERT ON tasks REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION chaos_record_enqueued()
            """)
    }

    /// Tasks waiting (due within two minutes), running and finished, for progress and for knowing
    /// the queue drained. Two minutes, because a retry after a crash can wait half a minute on
    /// purpose: outreach that finds its customer's earlier reminder still "sending" (its worker
    /// was killed mid-send) tries again 30 s later, when that record has settled.
    public static func queueState(_ pool: PostgresPool) async throws -> (due: Int, running: Int, finished: Int) {
        try await pool.query("""
            SELECT (SELECT count(*) FROM tasks WHERE state = 'available' OR run_at <= now() + interval '2 minutes'),
                   (SELECT count(*) FROM running_tasks), (SELECT count(*) FROM task_history)
            """)[0].decode((Int, Int, Int).self)
    }

    public func run(replies: [ChaosReplies.Accepted]) async throws -> Report {
        var report = Report()
        try await checkTasks(&report)
        try checkMail(&report)
        try await checkRecorded(replies, &report)
        try checkOverlaps(&report)
        return report
    }

    /// Every task finished exactly once: one row in history, succeeded or dead with a reason.
    private func checkTasks(_ report: inout Report) async throws {
        let (waiting, running) = try await pool.query("""
            SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM running_tasks)
            """)[0].decode((Int, Int).self)
        let finished = try await pool.query("""
            SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE state = 'succeeded'),
                   count(*) FILTER (WHERE state = 'dead'), count(*) FILTER (WHERE state = 'dead' AND coalesce(last_error, '') = ''),
                   count(*) FILTER (WHERE attempt > 1)
              FROM task_history
            """)[0]
        let (rows, distinct, succeeded, dead, deadWithoutReason, retried) = try finished.decode((Int, Int, Int, Int, Int, Int).self)
        report.lines.append("tasks: \(rows) finished (\(succeeded) succeeded, \(dead) dead, \(retried) after more than one attempt), "
            + "\(waiting) waiting, \(running) running")
        if rows != distinct { report.violations.append("\(rows - distinct) tasks finished more than once") }
        if deadWithoutReason > 0 { report.violations.append("\(deadWithoutReason) dead tasks carry no reason") }
        if waiting + running > 0 { report.violations.append("\(waiting + running) tasks never finished") }
        // A vanished task leaves no row to count: compare the ids ever enqueued with where they are.
        let vanished = try await pool.query("""
            SELECT e.id FROM chaos_enqueued e
             WHERE NOT EXISTS (SELECT FROM task_history h WHERE h.tenant_id = e.tenant_id AND h.id = e.id)
               AND NOT EXISTS (SELECT FROM tasks t WHERE t.tenant_id = e.tenant_id AND t.id = e.id)
               AND NOT EXISTS (SELECT FROM running_tasks r WHERE r.tenant_id = e.tenant_id AND r.id = e.id)
             ORDER BY e.id
            """).map { try $0.decode(Int64.self, at: 0) }
        let enqueued = try await pool.query("SELECT count(*) FROM chaos_enqueued")[0].decode(Int.self, at: 0)
        report.lines.append("tasks: \(enqueued) enqueued, \(vanished.count) of them vanished (in no queue table)")
        if !vanished.isEmpty {
            report.violations.append("\(vanished.count) enqueued tasks vanished, e.g. \(Array(vanished.prefix(5)))")
        }
        for row in try await pool.query("""
            SELECT kind, left(last_error, 160), count(*) FROM task_history WHERE state = 'dead' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 5
            """) {
            let (kind, error, count) = try row.decode((String, String?, Int).self)
            report.lines.append("  dead \(kind) ×\(count): \(error ?? "")")
        }
    }

    /// No mail reached the sink twice.
    private func checkMail(_ report: inout Report) throws {
        var counts: [String: Int] = [:]
        for (index, mail) in mails.enumerated() {
            let id = (try? ParsedMessage(parsing: mail))?.messageID ?? "(none \(index + 1))"
            counts[id, default: 0] += 1
        }
        let repeated = counts.filter { $0.value > 1 }
        report.lines.append("mail: \(mails.count) messages at the sink, \(counts.count) distinct Message-IDs")
        if !repeated.isEmpty {
            report.violations.append("\(repeated.count) messages reached the sink more than once, e.g. \(repeated.keys.sorted().prefix(3))")
        }
    }

    /// Every reply a coordinator accepted is stored and read, every promise in one is recorded, and
    /// every mail at the sink is in the outbound records as sent (or unconfirmed, where its sender died).
    private func checkRecorded(_ replies: [ChaosReplies.Accepted], _ report: inout Report) async throws {
        let ids = replies.map { String($0.messageID.dropFirst().dropLast()) }
        let stored = try await pool.query("""
            SELECT count(*), count(*) FILTER (WHERE m.status = 'triaged'),
                   count(*) FILTER (WHERE m.classification = 'promise_to_pay'),
                   count(*) FILTER (WHERE m.classification = 'promise_to_pay'
                                     AND EXISTS (SELECT FROM promises p WHERE p.tenant_id = m.tenant_id AND p.source_message_id = m.id))
              FROM messages m WHERE m.direction = 'inbound' AND m.message_id = ANY (\(ids))
            """)[0]
        let (found, triaged, promised, recorded) = try stored.decode((Int, Int, Int, Int).self)
        let expectedPromises = replies.filter { $0.answer == .promise }.count
        report.lines.append("replies: \(replies.count) accepted, \(found) stored, \(triaged) triaged; "
            + "\(expectedPromises) promises sent, \(promised) read as promises, \(recorded) recorded")
        if found != replies.count { report.violations.append("\(replies.count - found) accepted replies are not stored") }
        if triaged != found { report.violations.append("\(found - triaged) stored replies were never triaged") }
        if recorded != promised { report.violations.append("\(promised - recorded) promises read from replies are not recorded") }
        if promised != expectedPromises { report.violations.append("\(expectedPromises - promised) promise replies were not read as promises") }

        let sent = mails.compactMap { (try? ParsedMessage(parsing: $0))?.messageID }
        let outbound = try await pool.query("""
            SELECT count(*) FILTER (WHERE direction = 'outbound' AND status IN ('sent', 'unconfirmed', 'bounced')),
                   count(*) FILTER (WHERE direction = 'outbound' AND status IN ('pending', 'sending'))
              FROM messages WHERE message_id = ANY (\(sent))
            """)[0]
        let (settled, unsettled) = try outbound.decode((Int, Int).self)
        let notices = try await pool.query("SELECT count(*) FROM notifications WHERE delivery_key = ANY (\(sent))")[0].decode(Int.self, at: 0)
        if settled + notices < Set(sent).count {
            report.violations.append("\(Set(sent).count - settled - notices) mails at the sink have no settled record")
        }
        if unsettled > 0 { report.violations.append("\(unsettled) mails at the sink are still recorded as pending or sending") }
    }

    /// No customer ever had two handlers running at once, across every worker process.
    private func checkOverlaps(_ report: inout Report) throws {
        struct Run {
            var task: Int64
            var start: Double
            var end: Double?
            var pid: Int32
        }
        let text = try String(contentsOfFile: journalPath, encoding: .utf8)
        var runs: [String: Run] = [:]
        var byCustomer: [String: [String]] = [:]
        var lines = 0
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = object["event"] as? String, let task = (object["task"] as? NSNumber)?.int64Value,
                  let tenant = (object["tenant"] as? NSNumber)?.int64Value, let pid = (object["pid"] as? NSNumber)?.int32Value,
                  let at = (object["at"] as? NSNumber)?.doubleValue, let attempt = (object["attempt"] as? NSNumber)?.intValue
            else { continue }
            lines += 1
            guard let customer = (object["customer"] as? NSNumber)?.int64Value else { continue }
            let key = "\(task)/\(attempt)/\(pid)"
            if event == "start" {
                runs[key] = Run(task: task, start: at, end: nil, pid: pid)
                byCustomer["\(tenant)/\(customer)", default: []].append(key)
            } else {
                runs[key]?.end = at
            }
        }
        var overlaps = 0
        var unfinished = 0
        for keys in byCustomer.values {
            let intervals = keys.compactMap { runs[$0] }.map { run -> (start: Double, end: Double, task: Int64) in
                let end = run.end ?? ends[run.pid].map(\.timeIntervalSince1970) ?? .infinity
                return (run.start, end, run.task)
            }.sorted { $0.start < $1.start }
            unfinished += intervals.filter { !$0.end.isFinite }.count
            for (earlier, later) in zip(intervals, intervals.dropFirst()) where later.start < earlier.end {
                overlaps += 1
                if overlaps <= 3 {
                    report.lines.append("  overlap: task \(later.task) started while task \(earlier.task) still ran")
                }
            }
        }
        report.lines.append("journal: \(lines) events, \(runs.count) handler runs over \(byCustomer.count) customers")
        if overlaps > 0 { report.violations.append("\(overlaps) times a customer had two tasks running at once") }
        if unfinished > 0 { report.violations.append("\(unfinished) handler runs have no end and no process exit") }
    }
}
