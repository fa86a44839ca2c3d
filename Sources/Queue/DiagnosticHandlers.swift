import Foundation
import Logging

/// Task kinds that do nothing useful on purpose: for the benchmark, the tests, and to check a
/// deployment end to end (enqueue one and watch a worker run it).
public enum DiagnosticHandlers {
    public static var all: [any TaskHandler] { [Noop(), Sleep(), Fail()] }

    /// `diagnostic.noop`: succeeds at once.
    public struct Noop: TaskHandler {
        public init() {}
        public var kinds: [String] { ["diagnostic.noop"] }
        public func run(_ task: ClaimedTask, context: TaskContext) async throws {}
    }

    /// `diagnostic.sleep`: sleeps `{"milliseconds": n}` (default 100), then logs the run's
    /// start and end (seconds since 1970) so tests can check that runs never overlap.
    public struct Sleep: TaskHandler {
        public init() {}
        public var kinds: [String] { ["diagnostic.sleep"] }

        public func run(_ task: ClaimedTask, context: TaskContext) async throws {
            struct Payload: Decodable { var milliseconds: Int? }
            let started = Date()
            let milliseconds = (try? task.payload.decode(Payload.self).milliseconds) ?? 100
            try await Task.sleep(for: .milliseconds(max(milliseconds, 0)))
            context.logger.info("diagnostic task ran", metadata: [
                "started": "\(started.timeIntervalSince1970)", "finished": "\(Date().timeIntervalSince1970)",
            ])
        }
    }

    /// `diagnostic.fail`: always fails with `{"message": "..."}`, to watch retries and dead tasks.
    public struct Fail: TaskHandler {
        public init() {}
        public var kinds: [String] { ["diagnostic.fail"] }

        public struct Failure: Error, CustomStringConvertible {
            public let description: String
        }

        public func run(_ task: ClaimedTask, context: TaskContext) async throws {
            struct Payload: Decodable { var message: String? }
            let message = try? task.payload.decode(Payload.self).message
            throw Failure(description: message ?? "diagnostic failure on attempt \(task.attempt)")
        }
    }
}
