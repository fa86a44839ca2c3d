import Dunning

/// How a reply's "in three business days" is counted: Monday to Friday, since the writer's
/// holidays are unknown.
extension CalendarDate {
    var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    func adding(businessDays count: Int) -> CalendarDate {
        var date = self
        var remaining = count
        while remaining > 0 {
            date = date.adding(days: 1)
            if !date.isWeekend { remaining -= 1 }
        }
        return date
    }

    /// This day, or the following Monday when it falls on a weekend.
    var nextBusinessDayIfWeekend: CalendarDate {
        switch weekday {
        case .saturday: adding(days: 2)
        case .sunday: adding(days: 1)
        default: self
        }
    }
}
