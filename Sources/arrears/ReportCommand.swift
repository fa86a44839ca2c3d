import ArgumentParser
import Coordinator
import Dunning
import Foundation
import Logging
import Store

struct ReportCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a tenant's receivables report: aging, DSO, best possible DSO, average days delinquent, CEI, promise kept rate, agent activity.",
        discussion: """
            The same figures as GET /v1/reports/summary, over the --period-days days up to --as-of (default today in \
            the tenant's time zone). --format json prints that endpoint's JSON; html a page with an aging chart per \
            currency, to save and open. The formulas are in the README ("Reports").
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The tenant's slug.")
    var tenant: String

    @Option(help: "text, json or html.")
    var format: Format = .text

    @Option(help: "The last day of the period, YYYY-MM-DD.")
    var asOf: String?

    @Option(help: "Days in the period.")
    var periodDays = 90

    func validate() throws {
        guard (1...3660).contains(periodDays) else { throw ValidationError("--period-days must be between 1 and 3660") }
        if let asOf, CalendarDate(asOf) == nil {
            throw ValidationError("--as-of \"\(asOf)\" is not a date; use YYYY-MM-DD, like 2025-03-31")
        }
    }

    func run() async throws {
        try await database.withPool(logger: Logger(label: "arrears.report")) { pool in
            let store = Store(pool: pool)
            guard let tenant = try await store.tenant(slug: tenant) else { throw CommandFailure("no tenant \(self.tenant)") }
            let day = asOf.flatMap(CalendarDate.init) ?? LocalDateTime(Date(), in: TimeZone(identifier: tenant.timeZone) ?? .gmt).date
            let summary = try await store.withTenant(tenant.id, actor: "cli") { try await $0.reportSummary(asOf: day, days: periodDays) }
            switch format {
            case .json: print(summary.json)
            case .text: print(ReportText.render(summary, tenant: tenant.name))
            case .html: print(ReportHTML.render(summary, tenant: tenant.name))
            }
        }
    }
}
