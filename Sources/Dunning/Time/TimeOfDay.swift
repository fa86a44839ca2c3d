import Foundation

/// A wall-clock time with minute precision, `HH:MM` in JSON. `24:00` is allowed as the end of a window.
public struct TimeOfDay: Hashable, Comparable, Sendable {
    public let minutesSinceMidnight: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || hour == 24 && minute == 0 else { return nil }
        minutesSinceMidnight = hour * 60 + minute
    }

    public var hour: Int { minutesSinceMidnight / 60 }
    public var minute: Int { minutesSinceMidnight % 60 }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }
}

/// Streamable for cheap interpolation into reasons, like `Money`.
extension TimeOfDay: CustomStringConvertible, LosslessStringConvertible, TextOutputStreamable {
    public func write<Target: TextOutputStream>(to target: inout Target) { target.write(description) }

    /// Exactly `HH:MM`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        let zero = UInt8(ascii: "0")
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              [0, 1, 3, 4].allSatisfy({ bytes[$0] >= zero && bytes[$0] <= zero + 9 })
        else { return nil }
        let hour = Int(bytes[0] - zero) * 10 + Int(bytes[1] - zero)
        let minute = Int(bytes[3] - zero) * 10 + Int(bytes[4] - zero)
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 5) { buffer in
            CalendarDate.writeDigits(hour, width: 2, into: buffer, at: 0)
            buffer[2] = UInt8(ascii: ":")
            CalendarDate.writeDigits(minute, width: 2, into: buffer, at: 3)
            return 5
        }
    }
}

extension TimeOfDay: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = TimeOfDay(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: Self.invalidTimeMessage(text)))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func invalidTimeMessage(_ text: String) -> String {
        "\"\(text)\" is not a time of day; use HH:MM on a 24-hour clock, like 09:00"
    }
}
