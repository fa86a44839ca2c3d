import ArgumentParser
import Dunning
import Foundation
import Logging
import Scheduler

struct PlanCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what the scheduler would decide for a tenant's customers on a date, without doing it.",
        discussion: """
            A dry run: nothing is enqueued and nothing is written. Each customer is decided at the opening of its \
            send window on that date, in its own time zone. With --json, one object per customer and line: \
            customer, escalation_level, actions [{kind, stage, tone, invoices}], next_review_on, reasons.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The tenant's slug.")
    var tenant: String

    @Option(help: "The date to decide on, YYYY-MM-DD.")
    var now: String

    @Option(help: "Only this customer (its reference).")
    var customer: String?

    @Flag(help: "One JSON object per line instead of text.")
    var json = false

    func run() async throws {
        let logger = Logger(label: "arrears.plan")
        guard let date = CalendarDate(now) else {
            throw CommandFailure("--now \"\(now)\" is not a date; use YYYY-MM-DD, like 2025-03-14")
        }
        try await database.withPool(logger: logger) { pool in
            var first = true
            try await DryRun(pool: pool).decisions(tenant: tenant, on: date, customer: customer) { decisions in
                for decision in decisions {
                    let entry = PlanEntry(decision)
                    print(json ? try entry.jsonLine() : (first ? "" : "\n") + entry.text)
                    first = false
                }
            }
        }
    }
}
