import Foundation
import Testing
@testable import Dunning

@Suite("Calendar dates and local time")
struct TimeTests {
    @Test("ISO dates parse strictly and print back")
    func isoDates() throws {
        let date = try #require(CalendarDate("2024-02-29"))
        #expect((date.year, date.month, date.day) == (2024, 2, 29))
        #expect(date.description == "2024-02-29")
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2025-3-01") == nil)
        #expect(CalendarDate("2025-13-01") == nil)
        #expect(CalendarDate("2025-03-01T00:00") == nil)
        #expect(CalendarDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(CalendarDate("0001-01-01")?.description == "0001-01-01")
        #expect(CalendarDate(daysSinceEpoch: -800_000).description == "-221-9-4")
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["2024-02-29"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: json) == [date])
    }

    @Test("day arithmetic, weekdays and days between")
    func arithmetic() throws {
        let friday = try #require(CalendarDate("2025-03-14"))
        #expect(friday.weekday == .friday)
        #expect(friday.adding(days: 1).weekday == .saturday)
        #expect(friday.adding(days: 18).description == "2025-04-01")
        #expect(friday.adding(days: -75).description == "2024-12-29")
        #expect(CalendarDate("1969-12-31")?.weekday == .wednesday)
        #expect(friday.days(until: CalendarDate("2025-04-01")!) == 18)
        #expect(CalendarDate("2025-04-01")!.days(until: friday) == -18)
        #expect(CalendarDate("2024-02-29")!.adding(months: -12).description == "2023-02-28")
        #expect(CalendarDate("2025-01-31")!.adding(months: 1).description == "2025-02-28")
        #expect(CalendarDate("2025-03-14")!.adding(months: -15).description == "2023-12-14")
    }

    @Test("month and week boundaries")
    func boundaries() throws {
        let leapDay = try #require(CalendarDate("2024-02-29"))
        #expect(leapDay.firstOfMonth.description == "2024-02-01")
        #expect(leapDay.lastOfMonth == leapDay)
        #expect(CalendarDate("2025-02-10")!.lastOfMonth.description == "2025-02-28")
        #expect(CalendarDate("2025-12-31")!.firstOfMonth.description == "2025-12-01")
        // ISO weeks start on Monday: a Sunday belongs to the week that began six days earlier.
        #expect(CalendarDate("2025-03-16")!.startOfWeek.description == "2025-03-10")
        #expect(CalendarDate("2025-03-10")!.startOfWeek.description == "2025-03-10")
        #expect(CalendarDate("2026-01-01")!.startOfWeek.description == "2025-12-29")
        #expect(CalendarDate.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CalendarDate.daysInMonth(year: 1900, month: 2) == 28)
        #expect(CalendarDate.daysInMonth(year: 2000, month: 2) == 29)
        #expect(CalendarDate.daysInMonth(year: 2025, month: 4) == 30)
    }

    @Test("an instant shows a different date and time in each zone")
    func localTime() throws {
        let instant = try #require(InstantText.parse("2025-03-14T22:30:00Z"))
        #expect(LocalDateTime(instant, in: TimeZone(identifier: "Europe/Berlin")!).description == "2025-03-14 23:30")
        #expect(LocalDateTime(instant, in: TimeZone(identifier: "America/New_York")!).description == "2025-03-14 18:30")
        #expect(LocalDateTime(instant, in: TimeZone(identifier: "Asia/Tokyo")!).description == "2025-03-15 07:30")
        #expect(LocalDateTime(instant, in: TimeZone(identifier: "Asia/Kolkata")!).description == "2025-03-15 04:00")
    }

    @Test("a local wall-clock time maps back to the instant, also across daylight-saving changes")
    func wallClockToInstant() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        let nine = TimeOfDay(hour: 9, minute: 0)!
        #expect(InstantText.format(CalendarDate("2025-03-17")!.instant(at: nine, in: newYork)) == "2025-03-17T13:00:00Z")
        #expect(InstantText.format(CalendarDate("2025-01-17")!.instant(at: nine, in: newYork)) == "2025-01-17T14:00:00Z")
        // 02:30 does not exist on 9 March 2025 in New York; clocks jump to 03:30.
        let gap = CalendarDate("2025-03-09")!.instant(at: TimeOfDay(hour: 2, minute: 30)!, in: newYork)
        #expect(InstantText.format(gap) == "2025-03-09T07:30:00Z")
        // 01:30 happens twice on 2 November 2025; the first one is taken.
        let overlap = CalendarDate("2025-11-02")!.instant(at: TimeOfDay(hour: 1, minute: 30)!, in: newYork)
        #expect(InstantText.format(overlap) == "2025-11-02T05:30:00Z")
    }

    @Test("times of day are HH:MM")
    func timesOfDay() {
        #expect(TimeOfDay("09:05")?.minutesSinceMidnight == 545)
        #expect(TimeOfDay("24:00")?.description == "24:00")
        #expect(TimeOfDay("24:01") == nil)
        #expect(TimeOfDay("9:00") == nil)
        #expect(TimeOfDay("09:60") == nil)
    }

    @Test("instants print and parse as UTC ISO 8601")
    func instants() {
        let instant = Date(timeIntervalSince1970: 1_742_198_400)
        #expect(InstantText.format(instant) == "2025-03-17T08:00:00Z")
        #expect(InstantText.parse("2025-03-17T08:00:00Z") == instant)
        #expect(InstantText.parse("2025-03-17 08:00:00Z") == nil)
    }
}

@Suite("Time sources")
struct TimeSourceTests {
    @Test("a fixed source always gives its instant")
    func fixed() {
        let instant = Date(timeIntervalSince1970: 1_742_198_400)
        #expect(FixedTimeSource(instant).now() == instant)
    }

    @Test("an accelerated source runs a simulated month in minutes")
    func accelerated() {
        let realStart = Date(timeIntervalSince1970: 1_000_000)
        let simulatedStart = Date(timeIntervalSince1970: 1_742_198_400)
        let clock = AcceleratedTimeSource(start: simulatedStart, factor: 8_640, real: FixedTimeSource(realStart))
        #expect(clock.now() == simulatedStart)
        let fiveMinutesLater = clock.simulated(atReal: realStart.addingTimeInterval(300))
        #expect(fiveMinutesLater.timeIntervalSince(simulatedStart) == 30 * 86_400)
    }

    @Test("the system source follows the machine clock")
    func system() {
        let before = Date()
        let now = SystemTimeSource().now()
        #expect(now >= before)
    }
}

@Suite("Clock changes east of UTC")
struct ClockChangeTests {
    @Test("Berlin's repeated 02:30 in October maps to the first one, its skipped 02:30 in March forward")
    func berlin() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let twoThirty = TimeOfDay(hour: 2, minute: 30)!
        #expect(InstantText.format(CalendarDate("2025-10-26")!.instant(at: twoThirty, in: berlin)) == "2025-10-26T00:30:00Z")
        #expect(InstantText.format(CalendarDate("2025-03-30")!.instant(at: twoThirty, in: berlin)) == "2025-03-30T01:30:00Z")
        #expect(InstantText.format(CalendarDate("2025-03-31")!.instant(at: TimeOfDay(hour: 9, minute: 0)!, in: berlin))
            == "2025-03-31T07:00:00Z")
    }
}
