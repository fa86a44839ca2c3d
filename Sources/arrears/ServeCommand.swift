import AgentKit
import ArgumentParser
import Coordinator
import Curl
import Foundation
import Logging
import Migrations
import Queue
import Scheduler
import ServiceLifecycle
import Store

struct ServeCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the coordinator: the admin API and the scheduler, until SIGTERM or SIGINT.",
        discussion: """
            The operator key comes from ARREARS_OPERATOR_KEY (never a flag, so it stays out of process listings).
            Per-tenant rate limit: ARREARS_RATE_LIMIT requests per second (default 100, 0 = off) with bursts of
            ARREARS_RATE_LIMIT_BURST (default twice the rate).
            Tenant secrets (SMTP password, webhook and inbound secrets) are sealed with ARREARS_SECRET_KEY; without it
            tenants cannot set them. Tenant URLs naming loopback, private or link-local addresses are refused unless
            ARREARS_ALLOW_PRIVATE_URLS=1.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var clock: ClockOptions

    @Option(help: "Address to listen on (env ARREARS_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env ARREARS_PORT, default 8080).")
    var port: Int?

    @Option(help: "Requests per second per tenant, 0 for no limit (env ARREARS_RATE_LIMIT, default 100).")
    var rateLimit: Double?

    @Option(help: "Largest burst of requests per tenant (env ARREARS_RATE_LIMIT_BURST, default twice the rate).")
    var rateLimitBurst: Double?

    @Option(help: "How often the scheduler looks for due customers when nothing wakes it (env ARREARS_SCHEDULER_POLL_INTERVAL, default 2s).")
    var schedulerPollInterval: DurationArgument?

    @Flag(inversion: .prefixedNo, help: "Take part in scheduling: replicas elect one leader that reviews customers and dispatches agent tasks (env ARREARS_SCHEDULER=off to leave it out).")
    var scheduler = true

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = Logger(label: "arrears.serve")
        let host = host ?? environment["ARREARS_HOST"] ?? "127.0.0.1"
        let port = try port ?? environment["ARREARS_PORT"].map {
            guard let port = Int($0) else { throw ValidationError("ARREARS_PORT must be a number") }
            return port
        } ?? 8080
        guard (0...65535).contains(port) else { throw ValidationError("the port must be from 0 to 65535") }
        let rate = try rateLimit ?? environment["ARREARS_RATE_LIMIT"].map {
            guard let rate = Double($0), rate >= 0 else { throw ValidationError("ARREARS_RATE_LIMIT must be a number ≥ 0") }
            return rate
        } ?? 100
        let burst = rateLimitBurst ?? environment["ARREARS_RATE_LIMIT_BURST"].flatMap(Double.init) ?? max(1, rate * 2)
        let operatorKey = environment["ARREARS_OPERATOR_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        if operatorKey == nil {
            logger.warning("ARREARS_OPERATOR_KEY is not set: the operator endpoints answer 401")
        }
        let secretBox: SecretBox?
        do {
            secretBox = try SecretBox.fromEnvironment(environment)
        } catch .missing {
            secretBox = nil
            logger.notice("ARREARS_SECRET_KEY is not set: tenants cannot store secrets (SMTP password, webhook and inbound secrets)")
        } catch {
            throw ValidationError(error.description)
        }

        try await database.withPool(logger: logger) { pool in
            let store = Store(pool: pool)
            let migrations = try Migration.embedded()
            if case .behind(let pending)? = try await StartupSchemaCheck.run("serve", pool: pool, migrations: migrations, logger: logger) {
                logger.warning("the database schema is behind this binary; /readyz answers 503 until `arrears migrate` ran",
                               metadata: ["pending": "\(pending.joined(separator: ","))"])
            }
            let api = AdminAPI(
                store: store,
                configuration: AdminAPIConfiguration(
                    operatorKey: operatorKey, rateLimit: rate, rateLimitBurst: burst, secretBox: secretBox,
                    outboundPolicy: OutboundPolicy.forTenantDestinations(environment: environment)),
                migrations: migrations, logger: logger)
            // The coordinator's services run together and stop together.
            var services: [any Service] = [
                AdminServer.service(api, host: host, port: port, logger: logger) { host, port in
                    // Written straight to the descriptor so scripts and tests see it at once, unbuffered.
                    FileHandle.standardOutput.write(Data("arrears serve listening on http://\(host):\(port)\n".utf8))
                },
                IdempotencyJanitor(store: store, logger: logger),
                DepthSampler(pool: pool, logger: logger),
            ]
            if scheduler && environment["ARREARS_SCHEDULER"] != "off" {
                var schedulerConfiguration = SchedulerService.Configuration()
                if let text = environment["ARREARS_SCHEDULER_POLL_INTERVAL"], schedulerPollInterval == nil,
                   DurationArgument(argument: text) == nil {
                    throw ValidationError("ARREARS_SCHEDULER_POLL_INTERVAL must be a duration like 2s or 250ms")
                }
                if let interval = schedulerPollInterval ?? environment["ARREARS_SCHEDULER_POLL_INTERVAL"].flatMap(DurationArgument.init) {
                    schedulerConfiguration.pollInterval = interval.duration
                }
                services.append(SchedulerService(pool: pool, clock: try clock.timeSource(environment),
                                                 configuration: schedulerConfiguration, logger: logger))
            }
            let group = ServiceGroup(configuration: .init(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
            try await group.run()
        }
    }
}
