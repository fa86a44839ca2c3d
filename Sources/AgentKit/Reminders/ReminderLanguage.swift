import Dunning

/// The languages reminders and owner notices are written in.
public enum ReminderLanguage: String, Sendable, Hashable, CaseIterable {
    case english = "en"
    case german = "de"
    case french = "fr"

    /// Reads a language tag ("de", "de-CH", "fr_BE", "EN"); anything else is English.
    public init(code: String) {
        let primary = code.prefix { $0 != "-" && $0 != "_" }.lowercased()
        self = ReminderLanguage(rawValue: primary) ?? .english
    }

    /// The language's name in English, for instructions to a language model.
    var englishName: String {
        switch self {
        case .english: "English"
        case .german: "German"
        case .french: "French"
        }
    }
}

/// Amounts and dates written the way readers of each language expect. Non-breaking spaces keep
/// an amount or a date on one line.
extension ReminderLanguage {
    static let nbsp = "\u{00A0}"

    /// `EUR 1,234.50`, `1.234,50 EUR`, `1 234,50 EUR` (with non-breaking spaces).
    public func format(_ money: Money) -> String {
        let plain = money.decimalString
        let negative = plain.hasPrefix("-")
        let unsigned = negative ? String(plain.dropFirst()) : plain
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let (groupSeparator, decimalSeparator): (String, String) = switch self {
        case .english: (",", ".")
        case .german: (".", ",")
        case .french: (Self.nbsp, ",")
        }
        var digits = Self.grouped(String(parts[0]), separator: groupSeparator)
        if parts.count > 1 { digits += decimalSeparator + parts[1] }
        if negative { digits = "-" + digits }
        switch self {
        case .english: return money.currency.code + Self.nbsp + digits
        case .german, .french: return digits + Self.nbsp + money.currency.code
        }
    }

    /// `15 March 2026`, `15. März 2026`, `15 mars 2026` (`1er mars 2026`).
    public func format(_ date: CalendarDate) -> String {
        let month = monthNames[date.month - 1]
        switch self {
        case .english: return "\(date.day)\(Self.nbsp)\(month) \(date.year)"
        case .german: return "\(date.day).\(Self.nbsp)\(month) \(date.year)"
        case .french: return "\(date.day == 1 ? "1er" : String(date.day))\(Self.nbsp)\(month) \(date.year)"
        }
    }

    private var monthNames: [String] {
        switch self {
        case .english:
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        case .german:
            ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
        case .french:
            ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        }
    }

    private static func grouped(_ digits: String, separator: String) -> String {
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return groups.joined(separator: separator)
    }
}
