import Dunning
import Foundation
import Store

/// Receivables at one moment of the demo, per currency: what is overdue, and DSO over 90 days.
public struct DemoFigures: Sendable {
    public struct Currency: Sendable {
        public let code: String
        public let overdue: Int64
        public let dso: Double?
    }

    public let asOf: CalendarDate
    public let currencies: [Currency]

    public static func read(store: Store, tenantID: Int64, asOf: CalendarDate) async throws -> DemoFigures {
        try await store.withTenant(tenantID, actor: "demo") { tenant in
            let aging = try await tenant.aging(asOf: asOf)
            let dso = Dictionary(uniqueKeysWithValues: try await tenant.daysSalesOutstanding(asOf: asOf, days: 90).map { ($0.currency, $0.dso) })
            let codes = Set(aging.map(\.currency)).union(dso.keys).sorted()
            return DemoFigures(asOf: asOf, currencies: codes.map { code in
                let row = aging.first { $0.currency == code }
                return Currency(code: code, overdue: row.map { $0.total - $0.current } ?? 0, dso: dso[code] ?? nil)
            })
        }
    }
}

/// The demo's closing summary.
public enum DemoSummary {
    public static func text(activity: AgentActivity, before: DemoFigures, after: DemoFigures, days: Int, elapsed: Duration,
                            mailFolder: String) -> String {
        let replies = activity.repliesByKind.values.reduce(0, +)
        let kinds = activity.repliesByKind.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
        var lines = [
            "Summary of \(days) simulated days (\(before.asOf) to \(after.asOf)), in \(Int(elapsed.components.seconds)) s:",
            row("mails sent", "\(activity.remindersSent) reminders, \(activity.otherMailSent) thank-you notes, "
                + "\(activity.ownerNotices) notices to account owners"),
            row("replies triaged", "\(replies)" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", "))),
            row("promises to pay", "\(activity.promisesCaptured) captured, \(activity.promisesKept) kept, \(activity.promisesBroken) broken"),
            row("contacts", "\(activity.contactsDiscovered) better contacts found and applied, \(activity.contactsProposed) proposed for approval"),
            row("escalations", "\(activity.escalations)"),
        ]
        for currency in after.currencies {
            let earlier = before.currencies.first { $0.code == currency.code }
            let code = CurrencyCode(code: currency.code)
            func money(_ minor: Int64) -> String {
                code.map { Money(minorUnits: minor, currency: $0).description } ?? "\(minor) \(currency.code)"
            }
            func days(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }
            lines.append(row("\(currency.code)", "overdue \(money(earlier?.overdue ?? 0)) → \(money(currency.overdue)); "
                + "DSO \(days(earlier?.dso ?? nil)) → \(days(currency.dso)) days"))
        }
        lines.append(row("the mail", "every message the agents sent is in \(mailFolder)"))
        return lines.joined(separator: "\n")
    }

    private static func row(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 18, withPad: " ", startingAt: 0) + value
    }
}
