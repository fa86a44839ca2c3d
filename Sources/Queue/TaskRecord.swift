import Foundation
import Postgres

/// Where a task is in its life.
public enum TaskState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its run_at (first run, or retry after a backoff, or a snooze).
    case scheduled
    /// Ready; the next claim may take it.
    case available
    case running
    case succeeded
    /// Failed on its last attempt, or gave up; `redrive` gives it new attempts.
    case dead
    case cancelled

    public var isFinished: Bool { self == .succeeded || self == .dead || self == .cancelled }
}

/// One task as operators and tests see it, wherever it is (waiting, running or history).
public struct TaskRecord: Sendable {
    public let id: Int64
    public let tenantID: Int64
    public let customerID: Int64?
    public let kind: String
    public let state: TaskState
    public let payload: PostgresJSON
    public let priority: Int16
    public let runAt: Date
    public let attempt: Int
    public let maxAttempts: Int
    public let lastError: String?
    public let createdAt: Date
    public let dedupeKey: String?
    /// The worker running it (running) or that ran it last (finished).
    public let worker: String?
    public let startedAt: Date?
    public let finishedAt: Date?
    /// While running: when the lease runs out unless the worker renews it.
    public let leaseExpiresAt: Date?
    /// While running: cancel was asked for; the worker stops the handler at its next renewal.
    public let cancelRequested: Bool
}

/// Which of a tenant's tasks to list; nil matches everything.
public struct TaskFilter: Sendable, Hashable {
    public var kind: String?
    public var state: TaskState?
    public var customerID: Int64?

    public init(kind: String? = nil, state: TaskState? = nil, customerID: Int64? = nil) {
        self.kind = kind
        self.state = state
        self.customerID = customerID
    }
}

/// A page of tasks, newest first; `hasMore` says a page starting after the last one has more.
public struct TaskPage: Sendable {
    public let tasks: [TaskRecord]
    public let hasMore: Bool
}

/// What `cancel` did.
public enum CancelResult: Sendable, Equatable {
    /// It was waiting; it is now in history as cancelled.
    case cancelled
    /// It is running; its worker stops the handler when it next renews its leases, and the
    /// task ends as cancelled.
    case stopping
    case alreadyFinished(TaskState)
    case notFound
}
