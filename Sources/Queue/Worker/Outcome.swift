import Foundation

/// Which attempt of which task a worker holds; with the worker's id, the fencing token.
struct Lease: Sendable, Hashable {
    let tenantID: Int64
    let taskID: Int64
    let attempt: Int

    init(_ task: ClaimedTask) {
        tenantID = task.tenantID
        taskID = task.id
        attempt = task.attempt
    }
}

/// How one run ended, as the worker reports it.
struct Outcome: Sendable {
    let lease: Lease
    let kind: String
    let result: Result
    /// When the handler started, by the worker's clock; nil if it never started.
    let startedAt: Date?

    enum Result: Sendable {
        case succeeded
        case failed(error: String, retryAt: Date)
        case snoozed(until: Date)
        case dead(reason: String)
        case cancelled
        /// Given back unfinished at shutdown: available again at once, attempt not counted.
        case released

        var name: String {
            switch self {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .snoozed: "snoozed"
            case .dead: "dead"
            case .cancelled: "cancelled"
            case .released: "released"
            }
        }

        var dueAt: Date? {
            switch self {
            case .failed(_, let retryAt): retryAt
            case .snoozed(let until): until
            default: nil
            }
        }

        var error: String? {
            switch self {
            case .failed(let error, _): error
            case .dead(let reason): reason
            default: nil
            }
        }
    }
}
