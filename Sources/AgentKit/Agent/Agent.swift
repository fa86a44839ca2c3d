import Dunning
import Foundation
import Logging
import Postgres
import Queue
import Store

/// An agent: the queue's handler for one task kind. It reads its payload, loads what it needs through
/// `Store`, decides with `Dunning` and `Triage`, acts through the senders of its environment, and
/// records what it did. Tasks can run twice (a worker may die after acting but before reporting), so
/// every side effect is recorded under a key derived from the task before it happens.
public protocol Agent: TaskHandler {
    associatedtype Payload: Decodable & Sendable
    /// The task kind, as the scheduler and the inbound webhook enqueue it.
    static var kind: String { get }
    var environment: AgentEnvironment { get }
    func perform(_ payload: Payload, context: AgentContext) async throws
}

extension Agent {
    public var kinds: [String] { [Self.kind] }

    public func run(_ task: ClaimedTask, context: TaskContext) async throws {
        let payload: Payload
        do {
            payload = try task.payload.decode(Payload.self)
        } catch {
            throw GiveUp("the payload of this \(Self.kind) task cannot be read: \(error)")
        }
        try await perform(payload, context: AgentContext(task: task, context: context, environment: environment,
                                                         actor: "agent:\(Self.kind)"))
    }
}

/// What an agent works with while it runs one task.
public struct AgentContext: Sendable {
    public let task: ClaimedTask
    public let environment: AgentEnvironment
    public let store: Store
    public let queue: TaskQueue
    /// Who the audit log names: `agent:<kind>`.
    public let actor: String
    private let clock: any TimeSource
    private let taskContext: TaskContext

    public init(task: ClaimedTask, context: TaskContext, environment: AgentEnvironment, actor: String) {
        self.task = task
        self.environment = environment
        store = Store(pool: context.pool)
        queue = context.queue
        self.actor = actor
        clock = context.clock
        taskContext = context
    }

    /// The worker's clock: real, or the demo's accelerated one.
    public var now: Date { clock.now() }

    /// Carries tenant, customer, task, kind and attempt.
    public var logger: Logger { taskContext.logger }

    /// The task's customer; a task without one cannot be acted on.
    public func customerID() throws -> Int64 {
        guard let id = task.customerID else { throw GiveUp("this \(task.kind) task names no customer") }
        return id
    }

    /// Runs `body` in one transaction of the task's tenant, under row-level security.
    @discardableResult
    public func inTenant<Result: Sendable>(_ body: (TenantStore) async throws -> Result) async throws -> Result {
        try await store.withTenant(task.tenantID, actor: actor, body)
    }

    /// Enqueues follow-up work in the tenant transaction, so it exists exactly if the writes that call
    /// for it commit.
    public func enqueue(_ tasks: [NewTask], in tenant: TenantStore) async throws {
        _ = try await queue.enqueue(tasks, on: tenant.connection)
    }

    /// A stable name for this task and a step of it, for Message-IDs and delivery ids.
    public func deliveryKey(_ step: String) -> (taskID: String, step: String) {
        ("task-\(task.id)", step)
    }
}
