import Foundation

/// Days of the week in ISO 8601 order, Monday first. JSON: `"monday"`.
public enum Weekday: String, CaseIterable, Codable, Sendable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// 1 for Monday through 7 for Sunday.
    public var isoNumber: Int {
        switch self {
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        case .sunday: 7
        }
    }

    /// `"Saturday"`, for reasons written to people.
    public var name: String {
        switch self {
        case .monday: "Monday"
        case .tuesday: "Tuesday"
        case .wednesday: "Wednesday"
        case .thursday: "Thursday"
        case .friday: "Friday"
        case .saturday: "Saturday"
        case .sunday: "Sunday"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }

    /// By number: the default for string-backed enums hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(isoNumber) }

    /// Built once: `allCases` is rebuilt on every access and `weekday` is on the hot path.
    static let inISOOrder: [Weekday] = allCases
}
