import ArgumentParser
import Chaos
import Demo
import Dunning
import Foundation
import Glibc
import LocalPostgres
import Logging
import Migrations
import Postgres
import Store

struct ChaosBenchCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Run the agents under faults and check that nothing was lost, doubled or run twice at once.",
        discussion: """
            On a private PostgreSQL cluster of its own (it restarts the server), with an SMTP sink in this process: \
            --tenants tenants with --customers customers in all, every one owing overdue invoices, two coordinators \
            and --workers workers. Customers answer their reminders (promises, absences, questions) through the \
            inbound webhook. Meanwhile a random worker is killed with SIGKILL and replaced every --kill-every, \
            PostgreSQL is restarted once and a coordinator is killed once. When the queue has drained it checks that \
            every task ever enqueued finished exactly once (succeeded, or dead with a reason), that no mail reached the sink twice, \
            that no customer ever had two tasks running at once (from the workers' execution journal), and that every \
            accepted reply and every promise in one was recorded. Exits 1 on any violation.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Folder of the private cluster and the execution journal.")
    var home = ".arrears/chaos"

    @Option(help: "Tenants.")
    var tenants = 50

    @Option(help: "Customers in all, spread over the tenants.")
    var customers = 5000

    @Option(help: "Worker processes.")
    var workers = 3

    @Option(help: "Seconds of faults before the queue is left to drain.")
    var seconds = 300

    @Option(help: "How often a worker is killed.")
    var killEvery = DurationArgument(.seconds(4), text: "4s")

    func validate() throws {
        guard tenants >= 1, customers >= tenants else { throw ValidationError("--customers must be at least --tenants") }
        guard workers >= 2 else { throw ValidationError("--workers must be at least 2, so one survives each kill") }
        guard seconds >= 10 else { throw ValidationError("--seconds must be at least 10") }
    }

    func run() async throws {
        let logger = Logger(label: "arrears.bench.chaos")
        let folder = URL(fileURLWithPath: home)
        let cluster = LocalPostgresCluster(root: folder)
        try cluster.start()
        defer { cluster.stop() }
        var configuration = try await ScratchDatabase.recreate("arrears_chaos", on: PostgresConfiguration(connectionString: cluster.connectionString))
        configuration.maxConnections = 6
        let pool = PostgresPool(configuration: configuration)
        defer { pool.close() }
        try await Migrator(pool: pool, logger: logger).migrate(Migration.embedded())
        try await ChaosChecks.recordEnqueuedTasks(pool)

        let sink = try MailSink(folder: nil)
        defer { sink.stop() }
        let today = LocalDateTime(Date(), in: TimeZone(identifier: "Europe/Berlin")!).date
        let started = ContinuousClock.now
        let world = try await ChaosWorld.create(store: Store(pool: pool), tenants: tenants,
                                                customersPerTenant: customers / tenants, smtpURL: sink.url, today: today)
        say("world: \(world.tenants.count) tenants, \(world.customers.count) customers arriving over the first "
            + "\(Int(Double(seconds) * 0.8)) s in \(world.batches.count) imports")

        let journal = folder.appendingPathComponent("journal.jsonl").path
        try? FileManager.default.removeItem(atPath: journal)
        var fleet = try await ChaosFleet.start(databaseURL: configuration.connectionString, workers: workers, journal: journal)
        say("fleet: coordinators on \(fleet.coordinatorURLs.joined(separator: " and ")), \(workers) workers")
        let replies = ChaosReplies(world: world, sink: sink, coordinators: fleet.coordinatorURLs)
        let answering = Task { await replies.run() }

        // Faults, on a timeline: workers killed throughout, the database restarted at 40%, a coordinator at 60%.
        let faultsEnd = ContinuousClock.now + .seconds(seconds)
        let restartAt = ContinuousClock.now + .seconds(Double(seconds) * 0.4)
        let coordinatorAt = ContinuousClock.now + .seconds(Double(seconds) * 0.6)
        var restarted = false, coordinatorKilled = false, lastReport = ContinuousClock.now
        var nextKill = ContinuousClock.now + killEvery.duration
        // New customers keep arriving through most of the faults, so the agents are at work when they strike.
        let arrivalsStart = ContinuousClock.now
        let arrivalSpan = Double(seconds) * 0.8
        var imported = 0
        let store = Store(pool: pool)
        while ContinuousClock.now < faultsEnd {
            let share = min(1, (ContinuousClock.now - arrivalsStart).seconds / arrivalSpan)
            while imported < Int((Double(world.batches.count) * share).rounded(.up)), imported < world.batches.count {
                do {
                    try await ChaosWorld.importBatch(world.batches[imported], store: store)
                    imported += 1
                } catch {
                    break  // the database is restarting; the batch comes again next time round
                }
            }
            if ContinuousClock.now >= nextKill {
                try await fleet.killRandomWorker()
                nextKill = ContinuousClock.now + killEvery.duration
            }
            if !restarted, ContinuousClock.now >= restartAt {
                restarted = true
                say("restarting PostgreSQL")
                try cluster.restart()
            }
            if !coordinatorKilled, ContinuousClock.now >= coordinatorAt {
                coordinatorKilled = true
                say("killing a coordinator")
                try await fleet.killCoordinator()
            }
            if ContinuousClock.now - lastReport >= .seconds(10) {
                lastReport = ContinuousClock.now
                let state = try? await ChaosChecks.queueState(pool)
                say("  \(Self.elapsed(since: started)): \(sink.count) mails, \(replies.accepted.count) replies accepted, "
                    + "\(fleet.kills) workers killed; tasks \(state.map { "\($0.due) due, \($0.running) running, \($0.finished) finished" } ?? "(database restarting)")")
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        while imported < world.batches.count {
            try await ChaosWorld.importBatch(world.batches[imported], store: store)
            imported += 1
        }
        say("faults over; letting the queue drain")
        var quiet = 0
        let drainEnd = ContinuousClock.now + .seconds(240)
        while quiet < 3, ContinuousClock.now < drainEnd {
            let state = try? await ChaosChecks.queueState(pool)
            quiet = state.map { $0.due + $0.running == 0 } == true ? quiet + 1 : 0
            try await Task.sleep(for: .seconds(1))
        }
        replies.stop()
        await answering.value
        // The last replies' triage, then the workers go.
        try await Task.sleep(for: .seconds(3))
        while let state = try? await ChaosChecks.queueState(pool), state.due + state.running > 0, ContinuousClock.now < drainEnd + .seconds(60) {
            try await Task.sleep(for: .seconds(1))
        }
        let ends = await fleet.stop()

        let report = try await ChaosChecks(pool: pool, mails: sink.messages(after: 0).map(\.data), journalPath: journal, ends: ends)
            .run(replies: replies.accepted)
        say("faults: \(fleet.kills) workers killed with SIGKILL, PostgreSQL restarted once, a coordinator killed once; "
            + "\(replies.refusals) replies had to be sent again")
        report.lines.forEach { say($0) }
        if report.exitStatus == 0 {
            say("no violations (\(Self.elapsed(since: started)))")
        } else {
            report.violations.forEach { say("VIOLATION: \($0)") }
            throw ExitCode(report.exitStatus)
        }
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func elapsed(since start: ContinuousClock.Instant) -> String {
        "\(Int((ContinuousClock.now - start).components.seconds)) s"
    }
}

/// The chaos run's processes: two coordinators on fixed ports (so a restarted one is found again)
/// and workers that come and go.
struct ChaosFleet {
    let coordinatorURLs: [String]
    private let group: ProcessGroup
    private var coordinators: [SpawnedProcess]
    private var workers: [SpawnedProcess]
    private let serveArguments: [[String]]
    private let workerArguments: [String]
    private let environment: [String: String]
    private var ends: [Int32: Date] = [:]
    private(set) var kills = 0

    static func start(databaseURL: String, workers count: Int, journal: String) async throws -> ChaosFleet {
        let environment = ["ARREARS_ALLOW_PRIVATE_URLS": "1", "ARREARS_OPERATOR_KEY": UUID().uuidString]
        let common = ["--database-url", databaseURL, "--log-format", "json", "--log-level", "warning"]
        let ports = try (0..<2).map { _ in try LocalPort.free() }
        let serveArguments = ports.map { ["serve", "--port", String($0), "--rate-limit", "0", "--pool-size", "6"] + common }
        let workerArguments = ["worker", "--journal", journal, "--lease", "3s", "--retry-base", "1s", "--retry-max", "5s",
                               "--poll-interval", "250ms", "--concurrency", "8", "--pool-size", "6", "--log-level", "info",
                               "--database-url", databaseURL, "--log-format", "json"]
        let coordinators = try serveArguments.enumerated().map { index, arguments in
            try SpawnedProcess(arguments: arguments, prefix: "[serve \(index + 1)] ", quiet: true, environment: environment)
        }
        let workers = try (0..<count).map { index in
            try SpawnedProcess(arguments: workerArguments, prefix: "[worker \(index + 1)] ", quiet: true, environment: environment)
        }
        let fleet = ChaosFleet(
            coordinatorURLs: ports.map { "http://127.0.0.1:\($0)" }, group: ProcessGroup(coordinators + workers),
            coordinators: coordinators, workers: workers, serveArguments: serveArguments, workerArguments: workerArguments,
            environment: environment)
        for coordinator in coordinators { try await coordinator.waitForLine(containing: "listening on", timeout: .seconds(60)) }
        for worker in workers { try await worker.waitForLine(containing: "worker ready", timeout: .seconds(60)) }
        return fleet
    }

    /// SIGKILL to one worker, and a new one in its place.
    mutating func killRandomWorker() async throws {
        let index = Int.random(in: 0..<workers.count)
        let doomed = workers[index]
        await doomed.killAbruptly()
        ends[doomed.pid] = Date()
        kills += 1
        group.remove(doomed)
        let replacement = try SpawnedProcess(arguments: workerArguments, prefix: "[worker] ", quiet: true, environment: environment)
        group.add(replacement)
        workers[index] = replacement
    }

    /// SIGKILL to the first coordinator, started again on its port.
    mutating func killCoordinator() async throws {
        await coordinators[0].killAbruptly()
        group.remove(coordinators[0])
        let replacement = try SpawnedProcess(arguments: serveArguments[0], prefix: "[serve 1] ", quiet: true, environment: environment)
        group.add(replacement)
        coordinators[0] = replacement
        try await replacement.waitForLine(containing: "listening on", timeout: .seconds(60))
    }

    /// Stops everything; returns when each worker process ended, killed or stopped.
    func stop() async -> [Int32: Date] {
        var ends = ends
        for worker in workers {
            _ = await worker.terminate()
            ends[worker.pid] = Date()
        }
        for coordinator in coordinators { _ = await coordinator.terminate() }
        return ends
    }
}
