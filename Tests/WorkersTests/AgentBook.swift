import Dunning
import Foundation
import Logging
import Mail
import Postgres
import Queue
import Store
import TestSupport

/// A tenant with a book, a mail server of its own (the test's SMTP sink) and a real `arrears worker`
/// running the agents, so each test sets up a situation, enqueues what the scheduler would, and
/// looks at what reached the sink and the database.
struct AgentBook {
    let pool: PostgresPool
    let database: TestDatabase
    let tenantID: Int64
    let sink: SMTPSink
    let queue: TaskQueue
    static let sender = "ar@acme.example"

    static func create(_ pool: PostgresPool, _ database: TestDatabase, sink: SMTPSink, policy: String? = nil,
                       webhookURL: String? = nil) async throws -> AgentBook {
        let tenant = try await pool.query("INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme Tools GmbH') RETURNING id")[0]
            .decode(Int64.self, at: 0)
        try await pool.query("""
            INSERT INTO tenant_settings (tenant_id, sender_email, sender_name, smtp_url, smtp_security, webhook_url)
            VALUES (\(tenant), \(sender), 'Acme Accounts Receivable', \(sink.url()), 'none', \(webhookURL))
            """)
        if let policy {
            try await pool.query("INSERT INTO policies (tenant_id, document) VALUES (\(tenant), \(PostgresJSON(policy)))")
        }
        return AgentBook(pool: pool, database: database, tenantID: tenant, sink: sink,
                         queue: TaskQueue(pool: pool, logger: Logger(label: "test")))
    }

    /// A worker running every agent; tenant mail servers on loopback are allowed, as the sink is one.
    func worker(_ arguments: [String] = [], environment: [String: String] = ["ARREARS_ALLOW_PRIVATE_URLS": "1"]) async throws -> WorkerProcess {
        try await WorkerProcess.start(database, ["--retry-base", "1s"] + arguments, environment: environment)
    }

    // MARK: - The coordinator

    /// A running `arrears serve` on this book's database, with its base URL. Without the scheduler:
    /// the test enqueues what the agents do, and nothing else should reach the worker.
    func coordinator() async throws -> (process: ChildProcess, base: String) {
        let process = try ChildProcess([
            ArrearsCommand.binary.path, "serve", "--port", "0", "--no-scheduler", "--database-url", database.connectionString,
        ])
        let line = try await process.waitForLine { $0.hasPrefix("arrears serve listening on ") }
        return (process, String(line.dropFirst("arrears serve listening on ".count)))
    }

    /// A new admin API key of the tenant.
    func adminKey() async throws -> String {
        guard let issued = try await Store(pool: pool).issueKey(tenantID: tenantID, role: .admin, name: "test") else {
            throw ChildProcessError("no tenant \(tenantID) to issue a key for")
        }
        return issued.secret
    }

    // MARK: - The book

    var today: CalendarDate { LocalDateTime(Date(), in: TimeZone(identifier: "Europe/Berlin")!).date }

    @discardableResult
    func customer(_ reference: String, name: String? = nil, language: String = "en", owner: String? = nil,
                  contacts: [(email: String, role: String)] = [("ap@customer.example", "accounts_payable")]) async throws -> Int64 {
        let id = try await pool.query("""
            INSERT INTO customers (tenant_id, external_ref, name, currency, time_zone, language, account_owner_email, next_review_at)
            VALUES (\(tenantID), \(reference), \(name ?? reference), 'EUR', 'Europe/Berlin', \(language), \(owner), 'infinity')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        for (index, contact) in contacts.enumerated() {
            try await pool.query("""
                INSERT INTO contacts (tenant_id, customer_id, name, email, role, is_primary, status)
                VALUES (\(tenantID), \(id), '', \(contact.email), \(contact.role), \(index == 0), 'valid')
                """)
        }
        return id
    }

    /// An open invoice due `daysOverdue` days ago.
    @discardableResult
    func invoice(_ customer: Int64, _ number: String, daysOverdue: Int, eur amount: String) async throws -> Int64 {
        let minor = try Money(parsing: amount, currency: "EUR").minorUnits
        let due = PostgresDate(daysSinceUnixEpoch: Int64(today.adding(days: -daysOverdue).daysSinceEpoch))
        return try await pool.query("""
            INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency)
            VALUES (\(tenantID), \(customer), \(number), \(due)::date - 30, \(due), \(minor), \(minor), 'EUR')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
    }

    /// A payment settling `amount` of the invoice, received today.
    func pay(_ customer: Int64, invoice: Int64, eur amount: String) async throws {
        let minor = try Money(parsing: amount, currency: "EUR").minorUnits
        try await pool.query("""
            WITH payment AS (
                INSERT INTO payments (tenant_id, customer_id, amount, currency, received_on)
                VALUES (\(tenantID), \(customer), \(minor), 'EUR', CURRENT_DATE) RETURNING id),
            allocation AS (
                INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
                SELECT \(tenantID), id, \(invoice), \(minor) FROM payment)
            UPDATE invoices SET open_amount = open_amount - \(minor),
                   status = CASE WHEN open_amount - \(minor) = 0 THEN 'paid' ELSE status END
             WHERE tenant_id = \(tenantID) AND id = \(invoice)
            """)
    }

    /// A reminder sent earlier, which the next one answers.
    func sentReminder(_ customer: Int64, messageID: String, subject: String) async throws {
        try await pool.query("""
            INSERT INTO messages (tenant_id, customer_id, direction, message_id, from_address, to_addresses, subject, status, stage)
            VALUES (\(tenantID), \(customer), 'outbound', \(messageID), \(Self.sender), '{ap@customer.example}', \(subject), 'sent', 'reminder')
            """)
    }

    /// An inbound message as the inbound webhook stores it, with its triage task enqueued.
    @discardableResult
    func receive(_ raw: String, customer: Int64?) async throws -> (message: Int64, task: Int64) {
        let bytes = Array(raw.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let parsed = try ParsedMessage(parsing: bytes)
        let id = try await pool.query("""
            INSERT INTO messages (tenant_id, customer_id, direction, message_id, in_reply_to, "references", from_address,
                                  to_addresses, subject, body_text, raw, status, received_at)
            VALUES (\(tenantID), \(customer), 'inbound', \(parsed.messageID ?? UUID().uuidString + "@test"), \(parsed.inReplyTo.last),
                    \(parsed.references), \(parsed.from.first?.address ?? ""), \(parsed.to.map(\.address)), \(parsed.subject ?? ""),
                    \(parsed.text), \(Data(bytes)), 'received', now())
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let task = try await enqueue("reply_triage", customer: customer, payload: #"{"message_id": \#(id)}"#)
        return (id, task)
    }

    // MARK: - Tasks

    func enqueue(_ kind: String, customer: Int64?, payload: String) async throws -> Int64 {
        try await queue.enqueue(NewTask(tenantID: tenantID, customerID: customer, kind: kind, payload: PostgresJSON(payload))).id
    }

    /// Waits until the task has finished, and returns how.
    @discardableResult
    func finished(_ task: Int64, timeout: Duration = .seconds(60)) async throws -> TaskRecord {
        var record: TaskRecord?
        try await eventually("task \(task) finished", timeout: timeout) {
            record = try await queue.task(tenantID: tenantID, id: task)
            return record?.state.isFinished ?? false
        }
        return record!
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await pool.query(query)[0].decode(Int.self, at: 0)
    }

    func text(_ query: PostgresQuery) async throws -> String? {
        try await pool.query(query).first?.decode(String?.self, at: 0)
    }

    func auditActions(_ customer: Int64) async throws -> [String] {
        try await pool.query("SELECT action FROM audit_events WHERE customer_id = \(customer) ORDER BY id").map {
            try $0.decode(String.self, at: 0)
        }
    }

    func auditReasons(_ customer: Int64, action: String) async throws -> [String] {
        try await pool.query("""
            SELECT reasons FROM audit_events WHERE customer_id = \(customer) AND action = \(action) ORDER BY id DESC LIMIT 1
            """).first?.decode([String].self, at: 0) ?? []
    }

    /// The mails the sink received, parsed.
    func mails() throws -> [ParsedMessage] {
        try sink.messages().map { try ParsedMessage(parsing: $0.data) }
    }
}
