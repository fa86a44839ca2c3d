import ArgumentParser
import Dunning
import Foundation

/// The clock a process runs on: `system`, or a simulated one shared by the demo's processes,
/// `accelerated:START,FACTOR,REAL_START` — simulated time read START (RFC 3339 UTC) when the real
/// clock read REAL_START (Unix seconds) and runs FACTOR times faster.
struct ClockOptions: ParsableArguments {
    static let environmentVariable = "ARREARS_CLOCK"

    @Option(help: "system (default), or accelerated:START,FACTOR,REAL_START to run on simulated time (env ARREARS_CLOCK).")
    var clock: String?

    func timeSource(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any TimeSource {
        guard let text = clock ?? environment[Self.environmentVariable], !text.isEmpty, text != "system" else {
            return SystemTimeSource()
        }
        guard text.hasPrefix("accelerated:") else {
            throw ValidationError("the clock must be system or accelerated:START,FACTOR,REAL_START, not \"\(text)\"")
        }
        let parts = text.dropFirst("accelerated:".count).split(separator: ",").map(String.init)
        guard parts.count == 3, let start = InstantText.parse(parts[0]), let factor = Double(parts[1]), factor > 0,
              let realStart = Double(parts[2])
        else {
            throw ValidationError("an accelerated clock is accelerated:START,FACTOR,REAL_START, "
                + "e.g. accelerated:2026-03-02T08:00:00Z,8640,1764650000; got \"\(text)\"")
        }
        return AcceleratedTimeSource(start: start, factor: factor, realStart: Date(timeIntervalSince1970: realStart))
    }

    /// The option's value for a simulated clock, for child processes.
    static func text(_ clock: AcceleratedTimeSource) -> String {
        "accelerated:\(InstantText.format(clock.start)),\(clock.factor),\(clock.realStart.timeIntervalSince1970)"
    }
}
