import Foundation
import Logging
import Migrations
import Postgres
import Queue

/// `arrears bench queue`: see QueueBenchCommand for the phases.
struct QueueBenchmark {
    let options: QueueBenchCommand
    let logger = Logger(label: "arrears.bench")
    static let databaseName = "arrears_bench"
    static let kind = "diagnostic.noop"

    func run() async throws {
        try await options.database.withConfiguration(logger: logger) { server in
            let configuration = try await ScratchDatabase.recreate(Self.databaseName, on: server)
            var poolConfiguration = configuration
            poolConfiguration.maxConnections = options.enqueuers + 2
            let pool = PostgresPool(configuration: poolConfiguration)
            defer { pool.close() }
            try await Migrator(pool: pool, logger: logger).migrate(Migration.embedded())
            let results = try await measure(pool: pool, configuration: configuration)
            print(results.summary(options: options))
            if options.json { print(results.json) }
            if !options.keepDatabase {
                pool.close()
                try await ScratchDatabase.drop(Self.databaseName, on: server)
            }
        }
    }

    private func measure(pool: PostgresPool, configuration: PostgresConfiguration) async throws -> BenchResults {
        var results = BenchResults()
        let queue = TaskQueue(pool: pool, logger: logger)
        results.server = try await serverSettings(pool)
        print("arrears bench queue: \(options.tasks) tasks, \(options.tenants) tenants × \(options.customers) customers, "
              + "\(options.workers) workers × \(options.concurrency), claim batch \(options.batch)\(options.skew ? ", skewed" : "")")
        print("server: \(results.server)")

        // Enqueue, no workers running: the backlog (all tasks, or the big tenant's 99%).
        var generator = TaskGenerator(tenants: options.tenants, customers: options.customers)
        let smallCount = options.skew ? max(options.tasks / 100, options.tenants - 1) : 0
        let backlog = (0..<(options.tasks - smallCount)).map { _ in generator.next(tenant: options.skew ? 1 : nil) }
        let enqueueTime = try await enqueueConcurrently(backlog, queue: queue)
        results.enqueuePerSecond = Double(backlog.count) / enqueueTime.seconds

        // Drain.
        let workers = try ProcessGroup(workers: options.workers, arguments: workerArguments(configuration))
        do {
            try await workers.waitUntilReady()
            try await drainAndTime(pool: pool, queue: queue, backlog: backlog.count, smallCount: smallCount,
                                   generator: &generator, into: &results)
        } catch {
            _ = await workers.stop()
            throw error
        }
        for status in await workers.stop() where status != 0 {
            logger.warning("a worker exited with status \(status)")
        }
        try await checkClaimCost(configuration: configuration, pool: pool, queue: queue, generator: &generator,
                                 into: &results)
        return results
    }

    /// With the workers running: the drain, the small tenants' waits (--skew), the latency.
    private func drainAndTime(
        pool: PostgresPool, queue: TaskQueue, backlog: Int, smallCount: Int, generator: inout TaskGenerator,
        into results: inout BenchResults
    ) async throws {
        var smallWaits: [Double] = []
        if options.skew {
            try await waitUntil(pool, "SELECT count(*) >= \(backlog / 10) FROM task_history")
            smallWaits = try await waitsOfSmallTenants(count: smallCount, generator: &generator, queue: queue, pool: pool)
        }
        try await waitUntilDrained(pool)
        let (drained, span) = try await pool.query(
            "SELECT count(*), extract(epoch FROM max(finished_at) - min(started_at)) FROM task_history"
        )[0].decode((Int, Double).self)
        results.drainPerSecond = Double(drained) / span

        if options.skew {
            let unloaded = try await waitsOfSmallTenants(count: smallCount, generator: &generator, queue: queue, pool: pool)
            results.smallTenantWait = (loaded: mean(smallWaits), unloaded: mean(unloaded))
        }

        // Latency of single tasks on the idle queue.
        if options.latencySamples > 0 {
            var enqueued: [Int64: Date] = [:]
            for _ in 0..<options.latencySamples {
                let task = generator.next(tenant: nil)
                let before = Date()
                enqueued[try await queue.enqueue(task).id] = before
                try await Task.sleep(for: .milliseconds(10))
            }
            try await waitUntilDrained(pool)
            let latencies = try await startTimes(of: Array(enqueued.keys), pool: pool).map { id, started in
                started.timeIntervalSince(enqueued[id]!) * 1000
            }.sorted()
            results.latency = (percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99))
        }
        // The workers give a drained table's space back within a minute; the figure is taken after.
        try? await waitUntil(pool, "SELECT pg_relation_size('tasks') <= \(QueueVacuumLimits.shrinkAbovePages) * 8192",
                             timeout: .seconds(90))
        let (liveRows, heapBytes, indexBytes, historyRows) = try await pool.query("""
            SELECT (SELECT count(*) FROM tasks), pg_relation_size('tasks'), pg_indexes_size('tasks'),
                   (SELECT count(*) FROM task_history)
            """)[0].decode((Int, Int, Int, Int).self)
        results.liveTable = (liveRows, heapBytes, indexBytes, historyRows)
    }

    /// Claim cost as the queue grows, with no worker running.
    private func checkClaimCost(
        configuration: PostgresConfiguration, pool: PostgresPool, queue: TaskQueue, generator: inout TaskGenerator,
        into results: inout BenchResults
    ) async throws {
        var queued = 0
        for size in try options.claimCheckSizes() {
            let missing = (0..<max(size - queued, 0)).map { _ in generator.next(tenant: nil) }
            _ = try await enqueueConcurrently(missing, queue: queue)
            queued = max(queued, size)
            try await pool.query("ANALYZE tasks")
            let probe = ClaimProbe(configuration: configuration)
            _ = try await probe.measure(kind: Self.kind, limit: options.batch, runs: 3)
            let runs = try await probe.measure(kind: Self.kind, limit: options.batch, runs: 21)
            let times = runs.map { $0.duration.seconds * 1000 }.sorted()
            results.claims.append((size, percentile(times, 0.5), runs.map(\.claimed).min() ?? 0))
            results.claimPlan = try await probe.explain(kind: Self.kind, limit: options.batch)
        }
    }

    private func workerArguments(_ configuration: PostgresConfiguration) -> [String] {
        [
            "worker", "--database-url", configuration.connectionString, "--kinds", Self.kind,
            "--concurrency", "\(options.concurrency)", "--batch", "\(options.batch)", "--pool-size", "2",
            "--log-level", "info",
        ]
    }

    /// Enqueues in batches over several connections; returns the elapsed time.
    private func enqueueConcurrently(_ tasks: [NewTask], queue: TaskQueue) async throws -> Duration {
        guard !tasks.isEmpty else { return .zero }
        let batches = stride(from: 0, to: tasks.count, by: options.enqueueBatch).map {
            Array(tasks[$0..<min($0 + options.enqueueBatch, tasks.count)])
        }
        let began = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<options.enqueuers {
                group.addTask {
                    for index in stride(from: lane, to: batches.count, by: options.enqueuers) {
                        _ = try await queue.enqueue(batches[index])
                    }
                }
            }
            try await group.waitForAll()
        }
        return ContinuousClock.now - began
    }

    /// Enqueues `count` tasks spread over every tenant but the first, in one statement, and
    /// returns each one's wait in the queue — from the enqueue's commit to its start — in
    /// milliseconds.
    private func waitsOfSmallTenants(count: Int, generator: inout TaskGenerator, queue: TaskQueue, pool: PostgresPool) async throws -> [Double] {
        let small = (0..<count).map { index in generator.next(tenant: Int64(2 + index % (options.tenants - 1))) }
        let ids = try await queue.enqueue(small).map(\.id)
        let committed = Date()
        try await waitUntil(pool, "SELECT count(*) = \(ids.count) FROM task_history WHERE id = ANY(\(ids)::bigint[])")
        return try await startTimes(of: ids, pool: pool).map { $0.1.timeIntervalSince(committed) * 1000 }
    }

    private func startTimes(of ids: [Int64], pool: PostgresPool) async throws -> [(Int64, Date)] {
        try await pool.query("SELECT id, started_at FROM task_history WHERE id = ANY(\(ids)::bigint[])").map {
            try $0.decode((Int64, Date).self)
        }
    }

    private func waitUntilDrained(_ pool: PostgresPool) async throws {
        try await waitUntil(pool, "SELECT NOT EXISTS (SELECT FROM tasks) AND NOT EXISTS (SELECT FROM running_tasks)")
    }

    private func waitUntil(_ pool: PostgresPool, _ condition: PostgresQuery, timeout: Duration = .seconds(1800)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await pool.query(condition)[0].decode(Bool.self, at: 0) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SpawnError("the benchmark timed out waiting for: \(condition.sql)")
    }

    private func serverSettings(_ pool: PostgresPool) async throws -> String {
        let (version, fsync, synchronousCommit) = try await pool.query(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')"
        )[0].decode((String, String, String).self)
        return "PostgreSQL \(version), fsync=\(fsync), synchronous_commit=\(synchronousCommit), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}

/// Tasks for random customers of random (or given) tenants, reproducibly.
struct TaskGenerator {
    let tenants: Int
    let customers: Int
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    init(tenants: Int, customers: Int) {
        self.tenants = tenants
        self.customers = customers
    }

    mutating func next(tenant: Int64?) -> NewTask {
        let tenantID = tenant ?? Int64(1 + random() % UInt64(tenants))
        return NewTask(tenantID: tenantID, customerID: Int64(1 + random() % UInt64(customers)), kind: QueueBenchmark.kind)
    }

    /// SplitMix64.
    private mutating func random() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1))]
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
