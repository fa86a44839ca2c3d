import Foundation

/// A helper script from Tests/Support, run with python3 as a child process of one test.
///
/// The script prints its port as its first line; later lines are kept so a test can wait for
/// one. The script also exits when its stdin closes, so it does not outlive a crashed test
/// process; `stop()` (and deinit) end it deliberately.
public final class LocalServer: Sendable {
    public let port: Int
    private let child: ChildProcess

    public static let supportDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support")

    public init(script: String, arguments: [String] = []) async throws {
        child = try ChildProcess(["python3", Self.supportDirectory.appendingPathComponent(script).path] + arguments)
        // Generous: dozens of tests start servers at once on a loaded two-core machine.
        let first = try await child.waitForLine(timeout: .seconds(120)) { _ in true }
        guard let port = Int(first) else {
            child.stop()
            throw ChildProcessError("\(script) printed \(first) instead of its port")
        }
        self.port = port
    }

    deinit {
        stop()
    }

    /// Waits until the server prints this exact line (or has already printed it).
    @discardableResult
    public func waitForLine(_ expected: String) async throws -> String {
        try await child.waitForLine { $0 == expected }
    }

    /// Whether the server has printed this exact line so far.
    public func hasPrinted(_ line: String) -> Bool {
        child.lines.contains(line)
    }

    public func stop() {
        child.closeInput()
        child.stop()
    }
}
