import Dunning
import Foundation
import Logging
import Postgres

/// Runs tasks of some kinds. Return normally for success; throw for a failure, which is retried
/// after an exponential backoff with jitter until the task's attempts run out, then the task is
/// dead with the error kept. Throw `RetryLater` to run again at a given time without counting
/// a failure, or `GiveUp` to end the task as dead at once.
///
/// A task may run more than once (its worker can die after the work but before reporting it),
/// so handlers make their side effects idempotent, e.g. by recording a message with a
/// deterministic Message-ID before sending it.
public protocol TaskHandler: Sendable {
    /// The task kinds this handler runs, e.g. ["outreach.send"].
    var kinds: [String] { get }
    func run(_ task: ClaimedTask, context: TaskContext) async throws
}

/// What a handler gets besides its task.
public struct TaskContext: Sendable {
    /// The worker's database pool; tenant data is read in `pool.withTenantTransaction`.
    public let pool: PostgresPool
    /// The worker's clock: the real one, or a simulated one in the demo and in tests.
    public let clock: any TimeSource
    /// The queue, for handlers that enqueue follow-up work.
    public let queue: TaskQueue
    private let baseLogger: Logger
    private let metadata: Logger.Metadata

    public init(pool: PostgresPool, logger: Logger, metadata: Logger.Metadata = [:], clock: any TimeSource, queue: TaskQueue) {
        self.pool = pool
        baseLogger = logger
        self.metadata = metadata
        self.clock = clock
        self.queue = queue
    }

    /// Carries tenant, customer, task, kind and attempt metadata. Built when asked for: setting
    /// metadata on a logger costs more than running a small task.
    public var logger: Logger {
        var logger = baseLogger
        logger.handler.metadata.merge(metadata) { $1 }
        return logger
    }

    public var now: Date { clock.now() }
}

/// Thrown by a handler to run the task again later without counting this run as a failed
/// attempt, e.g. to check a promise to pay on its due date.
public struct RetryLater: Error, Sendable {
    /// An instant of the real clock (the database compares it with its `now()`); a handler on
    /// a simulated clock converts, or uses `init(after:)`.
    public let date: Date
    public let reason: String?

    public init(at date: Date, reason: String? = nil) {
        self.date = date
        self.reason = reason
    }

    public init(after delay: Duration, reason: String? = nil) {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        self.init(at: Date().addingTimeInterval(seconds), reason: reason)
    }
}

/// Thrown by a handler when retrying cannot help (a malformed payload, a deleted customer):
/// the task is dead at once, with `reason` as its last error.
public struct GiveUp: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Handlers by kind, as one worker process runs them.
public struct HandlerRegistry: Sendable {
    public private(set) var handlers: [String: any TaskHandler] = [:]

    public init(_ handlers: [any TaskHandler] = []) {
        for handler in handlers { register(handler) }
    }

    /// Adds a handler; a later registration of the same kind replaces an earlier one.
    public mutating func register(_ handler: any TaskHandler) {
        for kind in handler.kinds { handlers[kind] = handler }
    }

    public var kinds: [String] { handlers.keys.sorted() }

    public func handler(for kind: String) -> (any TaskHandler)? { handlers[kind] }

    /// Only the given kinds; unknown ones are an error, so a typo in `--kinds` is caught at start.
    public func restricted(to kinds: [String]) throws -> HandlerRegistry {
        let unknown = kinds.filter { handlers[$0] == nil }
        guard unknown.isEmpty else {
            throw WorkerError.unknownKinds(unknown, known: self.kinds)
        }
        var subset = HandlerRegistry()
        for kind in kinds { subset.handlers[kind] = handlers[kind] }
        return subset
    }
}

public enum WorkerError: Error, CustomStringConvertible {
    case unknownKinds([String], known: [String])
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .unknownKinds(let kinds, let known):
            "no handler for kind(s) \(kinds.joined(separator: ", ")); known kinds: \(known.joined(separator: ", "))"
        case .invalidConfiguration(let reason): reason
        }
    }
}
