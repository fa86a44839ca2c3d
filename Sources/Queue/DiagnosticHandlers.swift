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
    /// start and end (seconds since 1970) so tests can check that runs never overlap. With
    /// `"ignore_cancellation": true` it sleeps on through cancellation, as a handler blocked in a
    /// call that cannot be interrupted would.
    public struct Sleep: TaskHandler {
        public init() {}
        public var kinds: [String] { ["diagnostic.sleep"] }

        public func run(_ task: ClaimedTask, context: TaskContext) async throws {
            struct Payload: Decodable {
                var milliseconds: Int?
                var ignoreCancellation: Bool?
                enum CodingKeys: String, CodingKey {
                    case milliseconds
                    case ignoreCancellation = "ignore_cancellation"
                }
            }
            let started = Date()
            let payload = try? task.payload.decode(Payload.self)
            let duration = Duration.milliseconds(max(payload?.milliseconds ?? 100, 0))
            if payload?.ignoreCancellation == true {
                // A detached task's value does not pass the caller's cancellation on.
                _ = await Task.detached { try? await Task.sleep(for: duration) }.value
            } else {
                try await Task.sleep(for: duration)
            }
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
