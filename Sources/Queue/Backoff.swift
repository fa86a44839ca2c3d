import Foundation

/// How long a failed task waits before its next attempt: exponential in the attempt number,
/// capped, with jitter so tasks that failed together (an SMTP server down) do not all retry in
/// the same instant.
public struct Backoff: Sendable, Equatable {
    /// The wait after the first failed attempt, before jitter.
    public var base: Duration
    public var maximum: Duration
    /// The fraction of the wait that is random: 0.5 waits between half and all of it.
    public var jitter: Double

    public init(base: Duration = .seconds(10), maximum: Duration = .seconds(3600), jitter: Double = 0.5) {
        self.base = base
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait before rerunning after `attempt` (1-based) failed, for a random draw in 0..<1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = Double(min(max(attempt - 1, 0), 62))
        let full = min(seconds(base) * pow(2, exponent), seconds(maximum))
        return .seconds(full * (1 - jitter * random))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        delay(afterAttempt: attempt, random: Double.random(in: 0..<1))
    }

    private func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
