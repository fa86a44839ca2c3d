import AgentKit
import ArgumentParser
import Foundation
import Logging
import Migrations
import Observability
import Queue
import ServiceLifecycle

struct WorkerCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim tasks from the queue and run their handlers until SIGTERM or SIGINT.",
        discussion: """
            On SIGTERM or SIGINT the worker stops claiming, lets running handlers finish within --shutdown-grace, \
            then cancels the rest and gives each task back to the queue as its handler returns (attempt not counted). \
            A handler still running --cancel-grace later keeps its task: the worker exits and the task runs again when \
            its lease expires, so no customer ever has two runs at once.
            Task kinds in this binary: \(WorkerHandlers.kinds.joined(separator: ", ")).
            The agents read from the environment: ARREARS_SECRET_KEY (opens the tenants' sealed SMTP passwords and \
            webhook secrets; the coordinators' key), ARREARS_SMTP_URL with ARREARS_SMTP_SECURITY (none, starttls, tls), \
            ARREARS_SMTP_USERNAME and ARREARS_SMTP_PASSWORD (the operator's relay for tenants without an SMTP server), \
            ARREARS_MAIL_FROM (the sender when a tenant names none), ARREARS_LLM_URL, ARREARS_LLM_MODEL, \
            ARREARS_LLM_API_KEY and ARREARS_LLM_TIMEOUT (an optional OpenAI-compatible model), and \
            ARREARS_ALLOW_PRIVATE_URLS=1 (let tenant-given SMTP hosts and webhooks be private addresses).
            A value that is set but wrong stops the worker at start.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var clock: ClockOptions

    @Option(help: "Comma-separated task kinds to run (env ARREARS_WORKER_KINDS; default: all kinds this binary has).")
    var kinds: String?

    @Option(help: "Handlers running at once (env ARREARS_WORKER_CONCURRENCY, default 16).")
    var concurrency: Int?

    @Option(help: "Most tasks claimed per statement.")
    var batch: Int = 100

    @Option(help: "How long a claimed task stays this worker's without renewal (renewed every third of it).")
    var lease = DurationArgument(.seconds(30), text: "30s")

    @Option(help: "How long running handlers may finish after SIGTERM before they are cancelled.")
    var shutdownGrace = DurationArgument(.seconds(10), text: "10s")

    @Option(help: "After --shutdown-grace, how long cancelled handlers may take to return; the tasks of those that have not are left to their leases.")
    var cancelGrace = DurationArgument(.seconds(5), text: "5s")

    @Option(help: "How often to look for work without a notification, and to promote due and expired tasks.")
    var pollInterval = DurationArgument(.seconds(1), text: "1s")

    @Option(help: "Wait before retrying after a first failure; doubles per attempt, with jitter.")
    var retryBase = DurationArgument(.seconds(10), text: "10s")

    @Option(help: "Longest wait between retries.")
    var retryMax = DurationArgument(.seconds(3600), text: "1h")

    @Option(help: "Days finished tasks stay in history.")
    var historyRetentionDays: Int = 14

    @Option(help: "Append a JSON line to this file when each handler starts and ends, for checking runs across processes (env ARREARS_WORKER_JOURNAL).")
    var journal: String?

    @OptionGroup var metrics: MetricsEndpointOptions

    func run() async throws {
        let logger = Logger(label: "arrears.worker")
        let environment = ProcessInfo.processInfo.environment
        let selected = (kinds ?? environment["ARREARS_WORKER_KINDS"])
            .map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        let agentEnvironment: AgentEnvironment
        do {
            agentEnvironment = try AgentEnvironment.fromEnvironment(environment, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
        let registry = WorkerHandlers.registry(environment: agentEnvironment)
        let handlers = try selected.map { try registry.restricted(to: $0) } ?? registry
        let timeSource = try clock.timeSource(environment)
        let configuration = WorkerConfiguration(
            concurrency: concurrency ?? environment["ARREARS_WORKER_CONCURRENCY"].flatMap(Int.init) ?? 16,
            claimBatch: batch, lease: lease.duration, shutdownGrace: shutdownGrace.duration,
            cancelGrace: cancelGrace.duration,
            pollInterval: pollInterval.duration, backoff: Backoff(base: retryBase.duration, maximum: retryMax.duration),
            historyRetentionDays: historyRetentionDays)
        let metricsServer = try metrics.service(logger: logger)
        try await database.withPool(logger: logger) { pool in
            try await StartupSchemaCheck.waitUntilCurrent("worker", pool: pool, migrations: Migration.embedded(), logger: logger)
            let journal = try (journal ?? environment["ARREARS_WORKER_JOURNAL"]).map {
                try ExecutionJournal(path: $0, workerID: configuration.workerID)
            }
            let worker = Worker(pool: pool, handlers: handlers, configuration: configuration, clock: timeSource,
                                journal: journal, logger: logger)
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: [worker] + (metricsServer.map { [$0] } ?? []), gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            try await group.run()
        }
    }
}
