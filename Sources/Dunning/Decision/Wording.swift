import Foundation

/// Small helpers that keep the reasons readable: "INV-1, INV-2 and INV-3", "1 invoice", "3 days".
enum Wording {
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: "\(items.dropLast().joined(separator: ", ")) and \(items[items.count - 1])"
        }
    }

    /// "1 day", "3 days": every counted word here takes a plain -s.
    static func count(_ number: Int, _ singular: String) -> String {
        number == 1 ? "1 \(singular)" : "\(number) \(singular)s"
    }

    static func amounts(_ amounts: [Money]) -> String {
        amounts.count == 1 ? amounts[0].description : list(amounts.map(\.description))
    }

    /// "20 days overdue", "due today", "due in 3 days".
    static func standing(_ daysOverdue: Int) -> String {
        if daysOverdue > 0 { return "\(count(daysOverdue, "day")) overdue" }
        if daysOverdue == 0 { return "due today" }
        return "due in \(count(-daysOverdue, "day"))"
    }

    /// One decimal, "17.0"; without String(format:), which goes through Foundation's formatting machinery.
    static func days(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension Wording {
    /// "today", "1 day ago", "3 days ago".
    static func ago(_ days: Int) -> String {
        days == 0 ? "today" : "\(count(days, "day")) ago"
    }
}
