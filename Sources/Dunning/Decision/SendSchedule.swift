import Foundation

/// When a customer may be written to: a local time window on business days that are not holidays.
struct SendSchedule {
    let window: TimeWindow
    /// Bit n set for ISO weekday n: checked for every day looked at, so no hashing.
    private let businessDays: UInt8
    let holidays: Set<CalendarDate>
    let zone: TimeZone

    /// Consumers get the policy's window narrowed to the consumer contact hours.
    init(policy: Policy, consumer: Bool, zone: TimeZone) {
        let consumerWindow = policy.consumerMode.contactWindow
        window = consumer ? policy.sendWindow.intersection(consumerWindow) ?? consumerWindow : policy.sendWindow
        businessDays = policy.businessDays.reduce(0) { $0 | 1 << $1.isoNumber }
        holidays = policy.holidays
        self.zone = zone
    }

    func isBusinessDay(_ date: CalendarDate) -> Bool {
        businessDays & 1 << date.weekday.isoNumber != 0
    }

    func isSendingDay(_ date: CalendarDate) -> Bool {
        isBusinessDay(date) && (holidays.isEmpty || !holidays.contains(date))
    }

    func isOpen(at local: LocalDateTime) -> Bool {
        isSendingDay(local.date) && window.contains(local.time)
    }

    /// Why a moment is closed, for a reason: "Saturday", "a holiday", "after 17:00".
    func closure(at local: LocalDateTime) -> String {
        if !isBusinessDay(local.date) { return "\(local.date.weekday.name) is not a business day" }
        if holidays.contains(local.date) { return "\(local.date) is a holiday" }
        return local.time < window.start ? "before \(window.start)" : "after \(window.end)"
    }

    /// The window start of the first sending day on or after `date`.
    func opening(onOrAfter date: CalendarDate) -> Date {
        var day = date
        // A year covers any real calendar; an empty set of business days is refused by validation.
        let lastDay = date.adding(days: 370)
        while !isSendingDay(day), day < lastDay { day = day.adding(days: 1) }
        return day.instant(at: window.start, in: zone)
    }

    /// The next moment the window opens after `local` (today's start if it is still ahead).
    func nextOpening(after local: LocalDateTime) -> Date {
        if isSendingDay(local.date), local.time < window.start {
            return local.date.instant(at: window.start, in: zone)
        }
        return opening(onOrAfter: local.date.adding(days: 1))
    }
}
