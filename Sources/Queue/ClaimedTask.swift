import Foundation
import Postgres

/// A task a worker claimed and now runs, with the lease that fences its outcome.
public struct ClaimedTask: Sendable {
    public let id: Int64
    public let tenantID: Int64
    public let customerID: Int64?
    public let kind: String
    public let payload: PostgresJSON
    public let priority: Int16
    /// When it was due.
    public let runAt: Date
    public let createdAt: Date
    /// 1 on the first run; counts runs that failed or whose worker died, not snoozes or releases.
    public let attempt: Int
    public let maxAttempts: Int
    /// The previous attempt's error, if it failed.
    public let lastError: String?

    public var isLastAttempt: Bool { attempt >= maxAttempts }

    public init(
        id: Int64, tenantID: Int64, customerID: Int64?, kind: String, payload: PostgresJSON, priority: Int16,
        runAt: Date, createdAt: Date, attempt: Int, maxAttempts: Int, lastError: String?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.customerID = customerID
        self.kind = kind
        self.payload = payload
        self.priority = priority
        self.runAt = runAt
        self.createdAt = createdAt
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.lastError = lastError
    }
}
