import Foundation

/// Polls until `condition` holds; fails after `timeout` (a bound on a functional wait, not a
/// measurement).
public func eventually(
    _ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    throw ChildProcessError("timed out waiting for: \(what)")
}
