import Foundation

/// RFC 5322 date-time text ("Sun, 15 Mar 2026 10:00:00 +0100"), formatted and parsed without
/// locale-dependent formatters.
public enum MailDate {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// Formats an instant in the given time zone, e.g. "Sun, 15 Mar 2026 10:00:00 +0100".
    public static func format(_ date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local.floorDivided(by: 86_400)
        let secondsOfDay = local - days * 86_400
        let (year, month, day) = Civil.date(fromDays: days)
        let weekday = dayNames[Civil.weekday(ofDays: days)]
        let sign = offset < 0 ? "-" : "+"
        let offsetMinutes = abs(offset) / 60
        return "\(weekday), \(day) \(monthNames[month - 1]) \(year) "
            + "\(twoDigits(secondsOfDay / 3600)):\(twoDigits(secondsOfDay / 60 % 60)):\(twoDigits(secondsOfDay % 60)) "
            + "\(sign)\(twoDigits(offsetMinutes / 60))\(twoDigits(offsetMinutes % 60))"
    }

    /// Parses RFC 5322 dates leniently: optional weekday, two-digit years, obsolete and common
    /// zone names, missing seconds or zone (taken as UTC), comments, and ISO 8601 as a fallback.
    public static func parse(_ text: String) -> Date? {
        let cleaned = removingComments(text).trimmingCharacters(in: .whitespaces)
        if let iso = parseISO(cleaned) { return iso }
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        var zone: Int?
        let tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        for token in tokens {
            if token.first == "+" || token.first == "-", let offset = numericZone(token.dropFirst(), negative: token.first == "-") {
                zone = offset
            } else if token.contains(":") {
                time = parseTime(token)
            } else if token.allSatisfy(\.isLetter) {
                let lower = token.lowercased()
                if let index = monthNames.firstIndex(where: { lower.hasPrefix($0.lowercased()) }), month == nil {
                    month = index + 1
                } else if let offset = namedZones[lower] {
                    zone = offset
                }
            } else if let number = Int(token) {
                if token.count <= 2, day == nil {
                    day = number
                } else if year == nil {
                    year = token.count == 2 ? (number < 50 ? 2000 + number : 1900 + number)
                        : token.count == 3 ? 1900 + number : number
                }
            }
        }
        guard let day, let month, let year, (1...31).contains(day), day <= Civil.daysIn(month: month, year: year) else { return nil }
        let (hour, minute, second) = time ?? (0, 0, 0)
        let seconds = Civil.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds - (zone ?? 0)))
    }

    private static let namedZones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
        "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
        "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
        "cet": 3600, "met": 3600, "bst": 3600, "west": 3600,
        "cest": 7200, "mest": 7200, "eet": 7200, "eest": 3 * 3600,
    ]

    private static func numericZone(_ digits: Substring, negative: Bool) -> Int? {
        let plain = digits.filter { $0 != ":" }
        guard plain.count == 4, let value = Int(plain) else { return nil }
        let seconds = (value / 100) * 3600 + (value % 100) * 60
        return negative ? -seconds : seconds
    }

    private static func parseTime(_ token: Substring) -> (Int, Int, Int)? {
        let parts = token.split(separator: ":").map { Int($0) }
        guard parts.count >= 2, let hour = parts[0], let minute = parts[1],
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        let second = parts.count > 2 ? min(parts[2] ?? 0, 59) : 0
        return (hour, minute, second)
    }

    private static func parseISO(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
              let year = Int(String(decoding: bytes[0..<4], as: UTF8.self)),
              let month = Int(String(decoding: bytes[5..<7], as: UTF8.self)),
              let day = Int(String(decoding: bytes[8..<10], as: UTF8.self)),
              (1...12).contains(month), (1...Civil.daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = Civil.days(year: year, month: month, day: day) * 86_400
        let rest = text.dropFirst(10).trimmingCharacters(in: CharacterSet(charactersIn: "T "))
        if !rest.isEmpty {
            var timeText = Substring(rest)
            var zone = 0
            if rest.hasSuffix("Z") {
                timeText = timeText.dropLast()
            } else if let signIndex = timeText.lastIndex(where: { $0 == "+" || $0 == "-" }),
                      let offset = numericZone(timeText[timeText.index(after: signIndex)...], negative: timeText[signIndex] == "-") {
                zone = offset
                timeText = timeText[..<signIndex]
            }
            let withoutFraction = timeText.split(separator: ".").first ?? timeText
            guard let (hour, minute, second) = parseTime(withoutFraction.trimmingCharacters(in: .whitespaces)[...]) else { return nil }
            seconds += hour * 3600 + minute * 60 + second - zone
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func removingComments(_ text: String) -> String {
        var result = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) } else if depth == 0 { result.append(character) }
        }
        return result
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (H. Hinnant's algorithms).
enum Civil {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 = Sunday.
    static func weekday(ofDays days: Int) -> Int {
        (days + 4).floorModulo(7)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Int {
    func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int) -> Int {
        self - floorDivided(by: divisor) * divisor
    }
}
