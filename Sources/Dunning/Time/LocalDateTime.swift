import Foundation

/// The wall-clock date and time of an instant in an IANA time zone, to the second.
public struct LocalDateTime: Hashable, Sendable, CustomStringConvertible {
    public let date: CalendarDate
    public let secondsIntoDay: Int

    public init(date: CalendarDate, secondsIntoDay: Int) {
        self.date = date
        self.secondsIntoDay = secondsIntoDay
    }

    /// One offset lookup (about 50 ns) and integer arithmetic; no Calendar, no formatter.
    public init(_ instant: Date, in zone: TimeZone) {
        let utcSeconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let local = utcSeconds + zone.secondsFromGMT(for: instant)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        self.init(date: CalendarDate(daysSinceEpoch: days), secondsIntoDay: local - days * 86_400)
    }

    /// The wall-clock minute (seconds dropped), for comparing with send windows.
    public var time: TimeOfDay { TimeOfDay(hour: secondsIntoDay / 3600, minute: secondsIntoDay % 3600 / 60)! }

    /// `2025-03-14 09:30`
    public var description: String { "\(date) \(time)" }
}

extension CalendarDate {
    /// The instant at which clocks in `zone` show `time` on this date.
    /// In a daylight-saving gap (02:30 on a spring-forward night) it is the instant the gap ends plus the
    /// same distance, as clocks are moved forward; in an overlap it is the earlier of the two.
    public func instant(at time: TimeOfDay, in zone: TimeZone) -> Date {
        let wallClock = daysSinceEpoch * 86_400 + time.minutesSinceMidnight * 60
        func offset(at seconds: Int) -> Int {
            zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        let before = offset(at: wallClock - 86_400)
        let after = offset(at: wallClock + 86_400)
        // No clock change within a day either side: the one offset is the answer.
        if before == after { return Date(timeIntervalSince1970: TimeInterval(wallClock - before)) }
        for candidate in [max(before, after), min(before, after)] where offset(at: wallClock - candidate) == candidate {
            return Date(timeIntervalSince1970: TimeInterval(wallClock - candidate))
        }
        return Date(timeIntervalSince1970: TimeInterval(wallClock - min(before, after)))
    }
}
