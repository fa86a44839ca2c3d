import Foundation

/// UTC instants as `2025-03-17T08:00:00Z`, formatted by hand so no DateFormatter is built on a hot path
/// and the output does not depend on an encoder's date strategy.
public enum InstantText {
    public static func format(_ instant: Date) -> String {
        let local = LocalDateTime(instant, in: utc)
        let seconds = local.secondsIntoDay
        let time = String(unsafeUninitializedCapacity: 10) { buffer in
            buffer[0] = UInt8(ascii: "T")
            CalendarDate.writeDigits(seconds / 3600, width: 2, into: buffer, at: 1)
            buffer[3] = UInt8(ascii: ":")
            CalendarDate.writeDigits(seconds % 3600 / 60, width: 2, into: buffer, at: 4)
            buffer[6] = UInt8(ascii: ":")
            CalendarDate.writeDigits(seconds % 60, width: 2, into: buffer, at: 7)
            buffer[9] = UInt8(ascii: "Z")
            return 10
        }
        return local.date.description + time
    }

    /// Accepts exactly the format `format` writes.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let date = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              let time = TimeOfDay(String(decoding: bytes[11..<16], as: UTF8.self)), time.hour < 24,
              let seconds = Int(String(decoding: bytes[17..<19], as: UTF8.self)), (0...59).contains(seconds)
        else { return nil }
        let total = date.daysSinceEpoch * 86_400 + time.minutesSinceMidnight * 60 + seconds
        return Date(timeIntervalSince1970: TimeInterval(total))
    }

    static let utc = TimeZone(identifier: "UTC")!
}
