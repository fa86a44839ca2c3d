import Foundation

/// How a reminder sounds.
public enum Tone: String, CaseIterable, Hashable, Sendable, Codable {
    case friendly, firm, urgent, formal
}

/// A step of the dunning ladder, entered when the customer's oldest chased invoice reaches `fromDays`.
public struct Stage: Hashable, Sendable, Codable {
    /// Lower-case identifier used in decisions and the audit log, e.g. `firm`.
    public var name: String
    /// Days overdue at which the stage starts; negative means before the due date, 0 on it.
    public var fromDays: Int
    public var tone: Tone
    /// Another reminder at the same stage after this many days without progress.
    public var repeatDays: Int

    public init(name: String, fromDays: Int, tone: Tone, repeatDays: Int = 7) {
        self.name = name
        self.fromDays = fromDays
        self.tone = tone
        self.repeatDays = repeatDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case fromDays = "from_days"
        case tone
        case repeatDays = "repeat_days"
    }

    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: nil)
    }
}
