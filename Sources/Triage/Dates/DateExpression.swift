import Dunning

/// A date as written, before it is pinned to the calendar relative to the message's day.
enum DateExpression: Hashable, Sendable {
    case absolute(CalendarDate)
    /// "15 March", "15.03.": the year is inferred.
    case dayMonth(day: Int, month: Int)
    /// "the 20th", "am 20.": the month is inferred.
    case dayOfMonth(Int)
    /// "9–20 March", "du 9 au 20 mars".
    case daySpan(from: Int, to: Int, month: Int, year: Int?)
    case weekday(Int, WeekdayModifier)
    /// "Monday next week": the weekday in the week `weekOffset` weeks from this one.
    case weekdayOfWeek(Int, weekOffset: Int)
    case days(Int)
    case businessDays(Int)
    case months(Int)
    case week(offset: Int, part: PeriodPart)
    case month(offset: Int, part: PeriodPart)
    case namedMonth(Int, part: PeriodPart)
}

enum WeekdayModifier: Hashable, Sendable {
    /// "Friday", "am Freitag": the nearest one in the preferred direction, never today.
    case plain
    /// "this Friday", "ce vendredi": the coming one, today included.
    case this
    /// "next Friday", "nächsten Freitag", "vendredi prochain": the one in next week (weeks start on Monday).
    case next
    /// "last Friday", "vendredi dernier".
    case last
}

enum PeriodPart: Hashable, Sendable {
    case whole
    /// The first days: a month's first ten, a week's Monday to Wednesday.
    case early
    /// The 15th of a month, the Wednesday of a week.
    case mid
    /// A month's last day, a week's Friday.
    case end
}

/// Whether an ambiguous date should be read forwards (promises, returns) or backwards (payments made).
enum TimeDirection {
    case future
    case past
}

/// The days an expression covers. A promise is due by `end`; an absence ends at `start`.
struct DateSpan: Hashable {
    let start: CalendarDate
    let end: CalendarDate

    init(_ start: CalendarDate, _ end: CalendarDate) {
        self.start = start
        self.end = end
    }

    init(_ day: CalendarDate) {
        self.init(day, day)
    }
}

extension DateExpression {
    /// Pins the expression to days, relative to `today` (the message's day).
    func resolve(relativeTo today: CalendarDate, preferring direction: TimeDirection) -> DateSpan? {
        switch self {
        case let .absolute(date):
            return DateSpan(date)
        case let .dayMonth(day, month):
            return Self.nearestYear(month: month, today: today, direction: direction) { year in
                CalendarDate(year: year, month: month, day: day).map { DateSpan($0) }
            }
        case let .daySpan(from, to, month, year):
            if let year, let start = CalendarDate(year: year, month: month, day: from),
               let end = CalendarDate(year: year, month: month, day: to) {
                return DateSpan(start, end)
            }
            return Self.nearestYear(month: month, today: today, direction: direction) { year in
                guard let start = CalendarDate(year: year, month: month, day: from),
                      let end = CalendarDate(year: year, month: month, day: to) else { return nil }
                return DateSpan(start, end)
            }
        case let .dayOfMonth(day):
            let anchor: CalendarDate
            switch direction {
            case .future: anchor = day >= today.day ? today.firstOfMonth : today.firstOfMonth.adding(months: 1)
            case .past: anchor = day <= today.day ? today.firstOfMonth : today.firstOfMonth.adding(months: -1)
            }
            return DateSpan(anchor.adding(days: min(day, anchor.lastOfMonth.day) - 1))
        case let .weekday(weekday, modifier):
            return DateSpan(Self.resolveWeekday(weekday, modifier, today: today, direction: direction))
        case let .weekdayOfWeek(weekday, weekOffset):
            return DateSpan(today.startOfWeek.adding(days: 7 * weekOffset + weekday - 1))
        case let .days(count):
            return DateSpan(today.adding(days: count))
        case let .businessDays(count):
            return DateSpan(today.adding(businessDays: count))
        case let .months(count):
            return DateSpan(today.adding(months: count))
        case let .week(offset, part):
            let monday = today.startOfWeek.adding(days: 7 * offset)
            switch part {
            case .whole: return DateSpan(offset == 0 ? max(today, monday) : monday, monday.adding(days: 4))
            case .early: return DateSpan(monday, monday.adding(days: 2))
            case .mid: return DateSpan(monday.adding(days: 2))
            case .end: return DateSpan(monday.adding(days: 4))
            }
        case let .month(offset, part):
            let first = today.firstOfMonth.adding(months: offset)
            return Self.part(part, of: first, notBefore: offset == 0 ? today : nil)
        case let .namedMonth(month, part):
            return Self.nearestYear(month: month, today: today, direction: direction) { year in
                Self.part(part, of: CalendarDate(year: year, month: month, day: 1)!, notBefore: nil)
            }
        }
    }

    private static func part(_ part: PeriodPart, of first: CalendarDate, notBefore: CalendarDate?) -> DateSpan {
        switch part {
        case .whole: DateSpan(max(first, notBefore ?? first), first.lastOfMonth)
        case .early: DateSpan(first, first.adding(days: 9))
        case .mid: DateSpan(first.adding(days: 14))
        case .end: DateSpan(first.lastOfMonth)
        }
    }

    /// For a date written without a year: forwards, the first candidate from two months back on
    /// ("pay on 10 March" written on 15 March is a past date, not next year's); backwards, the
    /// last candidate up to two months ahead.
    private static func nearestYear(month: Int, today: CalendarDate, direction: TimeDirection, candidate: (Int) -> DateSpan?) -> DateSpan? {
        let spans = (today.year - 1...today.year + 1).compactMap(candidate)
        switch direction {
        case .future:
            let earliest = today.adding(days: -60)
            return spans.first { $0.end >= earliest } ?? spans.last
        case .past:
            let latest = today.adding(days: 60)
            return spans.last { $0.start <= latest } ?? spans.first
        }
    }

    private static func resolveWeekday(_ weekday: Int, _ modifier: WeekdayModifier, today: CalendarDate, direction: TimeDirection) -> CalendarDate {
        let ahead = (weekday - today.weekday.isoNumber + 7) % 7
        let behind = (today.weekday.isoNumber - weekday + 7) % 7
        switch (modifier, direction) {
        case (.next, _):
            return today.startOfWeek.adding(days: 7 + weekday - 1)
        case (.last, _), (.plain, .past):
            return today.adding(days: -(behind == 0 ? 7 : behind))
        case (.this, .past):
            return today.adding(days: -behind)
        case (.this, .future):
            return today.adding(days: ahead)
        case (.plain, .future):
            return today.adding(days: ahead == 0 ? 7 : ahead)
        }
    }
}
