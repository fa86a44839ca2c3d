import Foundation

/// Where "now" comes from. All logic takes its instant from one of these, so the same code runs at a
/// simulated date (`arrears plan --now`) or in the demo's accelerated month.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The machine's clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// Always the same instant.
public struct FixedTimeSource: TimeSource {
    public let instant: Date

    public init(_ instant: Date) {
        self.instant = instant
    }

    public func now() -> Date { instant }
}

/// Simulated time that starts at `start` and runs `factor` times faster than `real`:
/// with a factor of 8640, one real minute is six simulated days and a month passes in five minutes.
public struct AcceleratedTimeSource: TimeSource {
    public let start: Date
    public let factor: Double
    public let realStart: Date
    private let real: any TimeSource

    public init(start: Date, factor: Double, real: any TimeSource = SystemTimeSource()) {
        self.init(start: start, factor: factor, realStart: real.now(), real: real)
    }

    /// A clock that read `start` when the real one read `realStart`: processes started apart share one
    /// simulated timeline by agreeing on both.
    public init(start: Date, factor: Double, realStart: Date, real: any TimeSource = SystemTimeSource()) {
        precondition(factor > 0, "an accelerated clock must move forward")
        self.start = start
        self.factor = factor
        self.real = real
        self.realStart = realStart
    }

    public func now() -> Date { simulated(atReal: real.now()) }

    /// The simulated instant when the real clock reads `realInstant`.
    public func simulated(atReal realInstant: Date) -> Date {
        start.addingTimeInterval(realInstant.timeIntervalSince(realStart) * factor)
    }
}
