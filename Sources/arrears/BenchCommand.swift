import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of arrears on this machine.",
        subcommands: [QueueBenchCommand.self, SchedulerBenchCommand.self, ChaosBenchCommand.self, ApiBenchCommand.self])
}

struct QueueBenchCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure the task queue with real worker processes running no-op tasks.",
        discussion: """
            Runs in a database of its own (arrears_bench, recreated) on the configured server, or on the private \
            cluster when no DATABASE_URL is given. Phases: batched enqueue of --tasks; drain by --workers \
            processes (`arrears worker --kinds diagnostic.noop`); enqueue→start latency of single tasks on the idle \
            queue; with --skew, the wait of small tenants' tasks while one tenant's backlog drains against their \
            wait on an idle queue; then the claim's time with 10 thousand and 1 million tasks queued (workers stopped, \
            claims rolled back). With --json the last line is one JSON object of the results.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Tasks to enqueue and drain.")
    var tasks = 100_000

    @Option(help: "Tenants the tasks belong to.")
    var tenants = 10

    @Option(help: "Customers per tenant.")
    var customers = 1000

    @Option(help: "Worker processes.")
    var workers = 2

    @Option(help: "Handlers running at once per worker.")
    var concurrency = 256

    @Option(help: "Most tasks a worker claims per statement.")
    var batch = 256

    @Option(help: "Tasks per enqueue statement.")
    var enqueueBatch = 1000

    @Option(help: "Connections enqueueing at once.")
    var enqueuers = 2

    @Flag(help: "One tenant holds 99% of the tasks; measure the other tenants' wait.")
    var skew = false

    @Option(help: "Single tasks enqueued on the idle queue to measure enqueue→start latency.")
    var latencySamples = 1000

    @Option(help: "Queue sizes at which to time the claim, comma-separated (empty: skip).")
    var claimCheck = "10000,1000000"

    @Flag(help: "Keep the benchmark database afterwards.")
    var keepDatabase = false

    @Flag(help: "End with one line of JSON: enqueue_per_s, drain_per_s, latency_p50_ms, latency_p95_ms, latency_p99_ms (and small_tenant_wait_ratio with --skew).")
    var json = false

    func validate() throws {
        guard tasks >= 100, tenants >= (skew ? 2 : 1), customers >= 1, workers >= 1, concurrency >= 1, batch >= 1,
              enqueueBatch >= 1, enqueuers >= 1, latencySamples >= 0
        else { throw ValidationError("counts must be positive (at least 100 tasks, and 2 tenants with --skew)") }
        _ = try claimCheckSizes()
    }

    func claimCheckSizes() throws -> [Int] {
        try claimCheck.split(separator: ",").map {
            guard let size = Int($0.trimmingCharacters(in: .whitespaces)), size > 0 else {
                throw ValidationError("--claim-check takes queue sizes like 10000,1000000")
            }
            return size
        }
    }

    func run() async throws {
        try await QueueBenchmark(options: self).run()
    }
}
