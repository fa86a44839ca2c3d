import Dunning
import Foundation

/// How figures read on the dashboard and in reports: money in the currency's major units, days
/// and percent to one decimal, a dash for a figure that does not exist.
public enum Figures {
    public static func money(_ minorUnits: Int64, _ currency: String) -> String {
        CurrencyCode(code: currency).map { Money(minorUnits: minorUnits, currency: $0).description } ?? "\(minorUnits) \(currency)"
    }

    public static func days(_ value: Double?) -> String { value.map { "\($0) days" } ?? "–" }

    public static func percent(_ value: Double?) -> String { value.map { "\($0) %" } ?? "–" }

    static func instant(_ date: Date?) -> String {
        guard let date else { return "–" }
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }
}
