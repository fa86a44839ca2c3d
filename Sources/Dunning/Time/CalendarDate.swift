import Foundation

/// A day in the proleptic Gregorian calendar, with no time and no zone: a due date, a promise date.
/// Held as a day count so comparison and day arithmetic cost one integer operation.
public struct CalendarDate: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Nil for dates that do not exist (2025-02-29) or years outside 1...9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        daysSinceEpoch = Self.dayNumber(year: year, month: month, day: day)
    }

    public var year: Int { civil.year }
    public var month: Int { civil.month }
    public var day: Int { civil.day }

    /// ISO 8601: 1970-01-01 was a Thursday.
    public var weekday: Weekday {
        let mondayBased = ((daysSinceEpoch + 3) % 7 + 7) % 7
        return Weekday.inISOOrder[mondayBased]
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Same day of month, clamped to the month's last day (2024-02-29 minus 12 months is 2023-02-28).
    public func adding(months: Int) -> CalendarDate {
        let (year, month, day) = civil
        let monthIndex = year * 12 + (month - 1) + months
        let newYear = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let newMonth = monthIndex - newYear * 12 + 1
        let newDay = min(day, Self.daysInMonth(year: newYear, month: newMonth))
        return CalendarDate(daysSinceEpoch: Self.dayNumber(year: newYear, month: newMonth, day: newDay))
    }

    /// The first day of this date's month.
    public var firstOfMonth: CalendarDate { adding(days: 1 - day) }

    /// The last day of this date's month.
    public var lastOfMonth: CalendarDate {
        let (year, month, day) = civil
        return adding(days: Self.daysInMonth(year: year, month: month) - day)
    }

    /// The Monday of this date's ISO 8601 week.
    public var startOfWeek: CalendarDate { adding(days: 1 - weekday.isoNumber) }

    /// Signed count of days from `self` to `other`: positive when `other` is later.
    public func days(until other: CalendarDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// 28 to 31; for February of a leap year, 29.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact, branch-light, no Calendar needed.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private var civil: (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Streamable for cheap interpolation into reasons, like `Money`.
extension CalendarDate: CustomStringConvertible, LosslessStringConvertible, TextOutputStreamable {
    public func write<Target: TextOutputStream>(to target: inout Target) { target.write(description) }

    /// Strict ISO 8601 calendar date `YYYY-MM-DD`; anything else (`2025-3-1`, `2025-02-30`) is nil.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
              let day = Self.number(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public var description: String {
        let (year, month, day) = civil
        // Only arithmetic far past the valid range gets here; say what the date is rather than trap.
        guard (0...9999).contains(year) else { return "\(year)-\(month)-\(day)" }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            Self.writeDigits(year, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            Self.writeDigits(month, width: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            Self.writeDigits(day, width: 2, into: buffer, at: 8)
            return 10
        }
    }

    /// Zero-padded decimal digits of a non-negative value that fits in `width`.
    static func writeDigits(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var remaining = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: Self.invalidDateMessage(text)))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func invalidDateMessage(_ text: String) -> String {
        "\"\(text)\" is not a date; use YYYY-MM-DD, like 2025-03-14"
    }
}
