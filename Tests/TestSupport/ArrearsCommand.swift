import Foundation

/// Runs the real `arrears` binary, as users and scripts do.
public enum ArrearsCommand {
    /// The binary the test command built (ARREARS_BIN), else the debug build beside the tests.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ARREARS_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/arrears")
    }

    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let errors: String
    }

    /// Runs to completion and captures standard output and error.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        try ChildProcess.run([binary.path] + arguments, environment: environment, input: input)
    }
}
