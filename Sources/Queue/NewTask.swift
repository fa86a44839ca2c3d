import Foundation
import Postgres

/// A task to enqueue: work of one `kind` for a tenant, usually about one of its customers.
public struct NewTask: Sendable {
    public var tenantID: Int64
    /// The customer the task acts for. At most one task per customer runs at a time; tasks
    /// without a customer are not limited.
    public var customerID: Int64?
    /// Which handler runs it, e.g. "outreach.send".
    public var kind: String
    public var payload: PostgresJSON
    /// Higher runs first within a tenant's tasks of one kind.
    public var priority: Int16
    /// Not before this instant; nil means now.
    public var runAt: Date?
    /// Attempts before the task is dead (a failed attempt is retried after a backoff).
    public var maxAttempts: Int
    /// While a task with this key (per tenant) waits to run, enqueueing another with the same
    /// key returns the waiting one instead.
    public var dedupeKey: String?

    public init(
        tenantID: Int64, customerID: Int64?, kind: String, payload: PostgresJSON = PostgresJSON("{}"),
        priority: Int16 = 0, runAt: Date? = nil, maxAttempts: Int = 5, dedupeKey: String? = nil
    ) {
        self.tenantID = tenantID
        self.customerID = customerID
        self.kind = kind
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = maxAttempts
        self.dedupeKey = dedupeKey
    }
}

/// What enqueueing one `NewTask` gave.
public struct EnqueuedTask: Sendable, Equatable {
    public let id: Int64
    /// True when a waiting task with the same dedupe key already existed; `id` is that task's.
    public let deduplicated: Bool

    public init(id: Int64, deduplicated: Bool) {
        self.id = id
        self.deduplicated = deduplicated
    }
}

public enum QueueError: Error, CustomStringConvertible, Equatable {
    case invalidTask(String)
    /// A concurrent transaction holds the dedupe key but its task is not visible to this
    /// transaction's snapshot (only possible under REPEATABLE READ or SERIALIZABLE).
    case dedupeKeyHeldElsewhere(tenantID: Int64, key: String)

    public var description: String {
        switch self {
        case .invalidTask(let reason): "invalid task: \(reason)"
        case .dedupeKeyHeldElsewhere(let tenantID, let key):
            "dedupe key \(key) of tenant \(tenantID) is held by a task this transaction cannot see"
        }
    }
}
