import ArgumentParser
import Foundation
import Logging
import Migrations
import Postgres
import Queue
import Store

struct ApiBenchCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Load the admin API with wrk while workers drain a backlog, and print throughput and p50/p99 per route.",
        discussion: """
            In a database of its own (arrears_bench_api, recreated) on the configured server, or on the private cluster \
            when no DATABASE_URL is given: --tenants tenants with --customers customers each and five invoices per \
            customer, imported through the CSV importer. One `arrears serve` (rate limit off) and --workers worker \
            processes start; the workers drain a backlog of short diagnostic tasks all through the run, so the API \
            shares the database with a busy queue, and the coordinator's scheduler reviews the book. Then wrk loads \
            each route for --seconds with --connections connections, every request with a key of the tenant whose \
            objects it names. Needs wrk (apt-get install -y wrk).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Tenants.")
    var tenants = 10

    @Option(help: "Customers per tenant (five invoices each).")
    var customers = 1000

    @Option(help: "Worker processes draining the backlog meanwhile (0: an idle queue).")
    var workers = 2

    @Option(help: "Seconds of load per route.")
    var seconds = 10

    @Option(help: "Open connections.")
    var connections = 32

    @Option(help: "wrk threads.")
    var threads = 2

    @Option(help: "Only the routes whose name contains this text.")
    var only: String?

    func validate() throws {
        guard tenants >= 1, customers >= 10, workers >= 0, seconds >= 1, connections >= 1, threads >= 1, connections >= threads else {
            throw ValidationError("counts must be positive: at least 10 customers, and no more threads than connections")
        }
        guard WrkRun.available() else { throw ValidationError("wrk is not installed: apt-get install -y wrk") }
    }

    func run() async throws {
        let logger = Logger(label: "arrears.bench.api")
        try await database.withConfiguration(logger: logger) { server in
            let configuration = try await ScratchDatabase.recreate("arrears_bench_api", on: server)
            var poolConfiguration = configuration
            poolConfiguration.maxConnections = 4
            let pool = PostgresPool(configuration: poolConfiguration)
            defer { pool.close() }
            try await Migrator(pool: pool, logger: logger).migrate(Migration.embedded())
            say("arrears bench api: \(tenants) tenants × \(customers) customers (\(tenants * customers * 5) invoices), "
                  + "\(workers) busy workers, wrk -t\(threads) -c\(connections) -d\(seconds)s per route")
            let importStart = ContinuousClock.now
            let book = try await ApiBenchBook.create(store: Store(pool: pool), tenants: tenants, customersPerTenant: customers)
            let importTime = (ContinuousClock.now - importStart).seconds
            say(String(format: "import:   %d customers and %d invoices through the CSV importer in %.1f s (%.0f rows/s)",
                       tenants * customers, tenants * customers * 5, importTime, Double(tenants * customers * 6) / importTime))
            try await measure(book: book, pool: pool, databaseURL: configuration.connectionString)
        }
    }

    private func measure(book: ApiBenchBook, pool: PostgresPool, databaseURL: String) async throws {
        let queue = TaskQueue(pool: pool, logger: Logger(label: "arrears.bench.api"))
        let port = try LocalPort.free()
        let coordinator = try SpawnedProcess(arguments: ["serve", "--port", "\(port)", "--rate-limit", "0", "--pool-size", "16",
                                                         "--database-url", databaseURL, "--log-level", "warning"],
                                             prefix: "[serve] ", quiet: true)
        let fleet = ProcessGroup([coordinator])
        do {
            try await coordinator.waitForLine(containing: "listening on", timeout: .seconds(60))
            // Enough short tasks to keep the workers at it for the whole run.
            let backlog = workers * 2_000 * seconds * 12
            var enqueued = 0
            while enqueued < backlog {
                let count = min(5_000, backlog - enqueued)
                _ = try await queue.enqueue((0..<count).map { index in
                    let tenant = book.tenants[(enqueued + index) % book.tenants.count]
                    return NewTask(tenantID: tenant.id, customerID: tenant.customerIDs[(enqueued + index) % tenant.customerIDs.count],
                                   kind: "diagnostic.sleep", payload: PostgresJSON(#"{"milliseconds": 2}"#))
                })
                enqueued += count
            }
            for index in 0..<workers {
                let worker = try SpawnedProcess(
                    arguments: ["worker", "--kinds", "diagnostic.sleep", "--concurrency", "32", "--batch", "32", "--pool-size", "4",
                                "--database-url", databaseURL, "--log-level", "info"],
                    prefix: "[worker \(index + 1)] ", quiet: true)
                fleet.add(worker)
                try await worker.waitForLine(containing: "worker ready", timeout: .seconds(60))
            }
            let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("arrears-bench-api-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }

            let started = try await queue.finishedCount()
            let clock = ContinuousClock.now
            say(Self.column("route", 44) + ["req/s", "p50 ms", "p99 ms", "errors"].map { String(repeating: " ", count: 10 - $0.count) + $0 }.joined())
            for route in book.routes where only.map({ route.name.contains($0) }) ?? true {
                let figures = try WrkRun.run(route, baseURL: "http://127.0.0.1:\(port)", seconds: seconds,
                                             connections: connections, threads: threads, folder: folder)
                say(Self.column(route.name, 44) + String(format: "%10.0f%10.2f%10.2f%10d", figures.requestsPerSecond,
                                                           figures.p50Milliseconds, figures.p99Milliseconds, figures.failed))
            }
            let drained = try await queue.finishedCount() - started
            let elapsed = (ContinuousClock.now - clock).seconds
            say(String(format: "meanwhile the workers finished %d tasks (%.0f/s)", drained, Double(drained) / elapsed))
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    /// Unbuffered, so each route's line shows as it finishes, also in a pipe or a file.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
