import ArgumentParser
import Foundation
import Logging
import Migrations
import Postgres
import Scheduler

struct SchedulerBenchCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Measure a full scheduler review: decisions, writes and enqueued agent tasks for every customer.",
        discussion: """
            Runs in a database of its own (arrears_bench_scheduler, recreated) on the configured server, or on the \
            private cluster when no DATABASE_URL is given. Generates the book set-based, times the pure decision on \
            synthetic customers, then times one review of every customer as the scheduler's leader does it: claim \
            in batches, decide, write level, next review, activity and an audit event, enqueue the agent tasks.
            """)

    static let databaseName = "arrears_bench_scheduler"

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Customers in the book.")
    var customers = 1_000_000

    @Option(help: "Tenants the customers are spread over.")
    var tenants = 1_000

    @Option(help: "Invoices per customer (the older ones mostly paid).")
    var invoices = 5

    @Option(help: "Customers per review transaction.")
    var batchSize = 1_000

    @Option(help: "Review transactions in flight at once.")
    var concurrency = 3

    @Option(help: "Synthetic customers for the pure decision timing (0: skip).")
    var decideCustomers = 200_000

    @Flag(help: "Keep the benchmark database afterwards.")
    var keepDatabase = false

    @Flag(help: "Review the book a kept benchmark database holds (with the same sizes) instead of generating one.")
    var reuseBook = false

    func validate() throws {
        guard customers > 0, tenants > 0, tenants <= customers, invoices >= 0, batchSize > 0, concurrency > 0,
              decideCustomers >= 0
        else { throw ValidationError("counts must be positive, with no more tenants than customers") }
    }

    func run() async throws {
        let logger = Logger(label: "arrears.bench.scheduler")
        try await database.withConfiguration(logger: logger) { server in
            let book = SyntheticBook(customers: customers, tenants: tenants, invoicesPerCustomer: invoices)
            if reuseBook, try await ScratchDatabase.exists(Self.databaseName, on: server) {
                let pool = try await pool(server.withDatabase(Self.databaseName), logger: logger)
                defer { pool.close() }
                if let counts = try await book.resetReview(in: pool) {
                    report("book: \(counts.customers.grouped) customers across \(tenants.grouped) tenants, "
                        + "\(counts.invoices.grouped) invoices (\(counts.openInvoices.grouped) open), "
                        + "\(counts.payments.grouped) payments; reused")
                    return try await measure(pool, logger: logger)
                }
            }
            let pool = try await pool(try await ScratchDatabase.recreate(Self.databaseName, on: server), logger: logger)
            defer { pool.close() }
            let generation = ContinuousClock.now
            let counts = try await book.generate(into: pool)
            report("book: \(counts.customers.grouped) customers across \(tenants.grouped) tenants, "
                + "\(counts.invoices.grouped) invoices (\(counts.openInvoices.grouped) open), "
                + "\(counts.payments.grouped) payments; generated in \((ContinuousClock.now - generation).seconds.fixed(1)) s")
            try await measure(pool, logger: logger)
        }
        if !keepDatabase {
            try await database.withConfiguration(logger: logger) { server in
                try await ScratchDatabase.drop(Self.databaseName, on: server)
            }
        }
    }

    /// The pure decision, then one review of every customer.
    private func measure(_ pool: PostgresPool, logger: Logger) async throws {
        if decideCustomers > 0 {
            let decide = DecideBenchmark.run(customers: decideCustomers)
            report("decide (pure, one core): \(Int(decide.decisionsPerSecond).grouped) customers/s, "
                + "\(decide.microsecondsEach.fixed(2)) µs each, over \(decideCustomers.grouped) synthetic customers")
        }

        var reviewConfiguration = Reviewer.Configuration()
        reviewConfiguration.batchSize = batchSize
        reviewConfiguration.concurrency = concurrency
        reviewConfiguration.schedulerName = "bench"
        let reviewer = Reviewer(pool: pool, configuration: reviewConfiguration, logger: logger)
        try await flushToDisk(pool)
        let start = ContinuousClock.now
        let summary = try await reviewer.reviewDue(at: SyntheticBook.reviewInstant)
        let seconds = (ContinuousClock.now - start).seconds
        let audit = try await pool.query("SELECT count(*) FROM audit_events")[0].decode(Int.self, at: 0)
        report("review: \(summary.customers.grouped) customers in \(seconds.fixed(1)) s = "
            + "\(Int(Double(summary.customers) / seconds).grouped) customers/s; "
            + "\(summary.tasksEnqueued.grouped) tasks enqueued, \(audit.grouped) audit events "
            + "(batch \(batchSize), concurrency \(concurrency))")
    }

    /// Writes out what generating or resetting the book dirtied, so the review is not timed writing
    /// the book: a server in service has long since flushed its book. Only a superuser (or a member of
    /// pg_checkpoint) may; anyone else's figure includes it.
    private func flushToDisk(_ pool: PostgresPool) async throws {
        do {
            try await pool.query("CHECKPOINT")
        } catch let error as PostgresError where error.sqlState == "42501" {
            report("(not allowed to CHECKPOINT: the review's time includes writing out the book)")
        }
    }

    /// A pool on the benchmark database, migrated.
    private func pool(_ configuration: PostgresConfiguration, logger: Logger) async throws -> PostgresPool {
        var sized = configuration
        sized.maxConnections = concurrency + 2
        let pool = PostgresPool(configuration: sized)
        try await Migrator(pool: pool, logger: logger).migrate(Migration.embedded())
        return pool
    }

    /// Each figure as soon as it is known, also when the output goes to a pipe.
    private func report(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension BinaryFloatingPoint {
    /// `12.3` for `fixed(1)`; no locale.
    func fixed(_ decimals: Int) -> String {
        let scale = pow(10, Double(decimals))
        let scaled = (Double(self) * scale).rounded()
        let whole = Int(scaled / scale)
        guard decimals > 0 else { return String(whole) }
        let fraction = Int(abs(scaled).truncatingRemainder(dividingBy: scale))
        let digits = String(fraction)
        return "\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
    }
}

extension Int {
    /// `1,000,000`
    var grouped: String {
        let digits = String(abs(self))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (self < 0 ? "-" : "") + result
    }
}
