import ArgumentParser
import Demo
import Dunning
import Foundation
import Logging
import Migrations
import Postgres
import Store

struct DemoCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch the agents collect a demo tenant's book through a simulated month.",
        discussion: """
            Creates a database of its own (arrears_demo, recreated on every run) on the private cluster (or DATABASE_URL), \
            a demo tenant with a generated book, a local SMTP sink, the coordinator and two workers, then runs a month \
            on an accelerated clock while scripted customers reply, bounce, promise, dispute and pay. Ends with a summary; \
            --keep-running leaves the coordinator, workers and dashboard up.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Customers in the demo book.")
    var customers: Int = 240

    @Option(help: "Simulated days to run.")
    var days: Int = 30

    @Option(help: "Real seconds the simulated days take.")
    var seconds: Int = 150

    @Option(help: "Port of the coordinator (0 picks a free one).")
    var port: Int = 0

    @Flag(help: "Leave the coordinator, the workers and the dashboard running after the summary, until Ctrl-C.")
    var keepRunning = false

    static let databaseName = "arrears_demo"
    static let tenantSlug = "demo"
    static let sender = "ar@acme-tools.example"

    func validate() throws {
        guard (20...5000).contains(customers) else { throw ValidationError("--customers must be from 20 to 5000") }
        guard (1...120).contains(days) else { throw ValidationError("--days must be from 1 to 120") }
        guard (10...3600).contains(seconds) else { throw ValidationError("--seconds must be from 10 to 3600") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    }

    func run() async throws {
        let logger = Logger(label: "arrears.demo")
        let started = ContinuousClock.now
        try await database.withConfiguration(logger: logger) { server in
            say("Setting up: a database of its own (\(Self.databaseName)), the schema, and a demo tenant")
            var configuration = try await ScratchDatabase.recreate(Self.databaseName, on: server)
            configuration.maxConnections = 4
            let pool = PostgresPool(configuration: configuration)
            defer { pool.close() }
            try await Migrator(pool: pool, logger: logger).migrate(Migration.embedded())

            let home = URL(fileURLWithPath: database.home ?? ProcessInfo.processInfo.environment["ARREARS_HOME"] ?? ".arrears")
            let mailFolder = home.appendingPathComponent("demo-mail")
            try? FileManager.default.removeItem(at: mailFolder)
            let sink = try MailSink(folder: mailFolder)
            defer { sink.stop() }

            let store = Store(pool: pool)
            let simulationStart = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
            let startDay = LocalDateTime(simulationStart, in: .gmt).date
            let book = DemoBook.generate(customers: customers, start: startDay)
            let setup = try await DemoSetup.prepare(store: store, book: book, slug: Self.tenantSlug, sender: Self.sender,
                                                    smtpURL: sink.url)
            say("  \(book.customers.count) customers in 6 countries and currencies, \(book.invoiceCount) invoices "
                + "(\(book.customers.reduce(0) { $0 + $1.openInvoices.count }) open), a key account, dead and moved contacts")
            let before = try await DemoFigures.read(store: store, tenantID: setup.tenantID, asOf: startDay)

            let factor = Double(days) * 86_400 / Double(seconds)
            let clock = AcceleratedTimeSource(start: simulationStart, factor: factor,
                                              realStart: Date().addingTimeInterval(2))
            let processes = try await DemoProcesses.start(databaseURL: configuration.connectionString, clock: clock, port: port)
            say("Coordinator on \(processes.coordinatorURL), two workers, SMTP sink on \(sink.url); mail lands in \(mailFolder.path)")
            say("Simulating \(days) days from \(startDay) in about \(seconds) s (1 real second = \(Self.span(factor)))")

            let run = DemoRun(book: book, sink: sink, coordinatorURL: processes.coordinatorURL, key: setup.key,
                              tenantSlug: Self.tenantSlug, store: store, tenantID: setup.tenantID, clock: clock,
                              senderAddress: Self.sender)
            do {
                try await run.run(until: simulationStart.addingTimeInterval(Double(days) * 86_400)) { say($0) }
            } catch {
                await processes.stop()
                throw error
            }
            let endDay = LocalDateTime(clock.now(), in: .gmt).date
            let after = try await DemoFigures.read(store: store, tenantID: setup.tenantID, asOf: endDay)
            let activity = try await store.withTenant(setup.tenantID, actor: "demo") { try await $0.agentActivity() }
            if !keepRunning { await processes.stop() }
            say("")
            say(DemoSummary.text(activity: activity, before: before, after: after, days: days,
                                 elapsed: ContinuousClock.now - started, mailFolder: mailFolder.path))
            if keepRunning {
                say("")
                say("Still running (on the accelerated clock). Dashboard: \(processes.coordinatorURL)/ui  API: \(processes.coordinatorURL)/v1")
                say("Tenant key (admin): \(setup.key)")
                say("Press Ctrl-C to stop.")
                await processes.waitForInterrupt()
            }
        }
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// "2 h 24 min" of simulated time per real second.
    private static func span(_ factor: Double) -> String {
        let minutes = Int((factor / 60).rounded())
        return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min simulated" : "\(minutes) min simulated"
    }
}
