import Queue
import Store

extension AdminAPI {
    /// The tenant's queue: list and inspect tasks, cancel a waiting or running one, redrive a
    /// dead one. All of it runs in the tenant's transaction, under row-level security.
    var taskEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/tasks", .tenantRead) { call in
                var query = call.query
                let filter = TaskFilter(
                    kind: query.string("kind") { FieldRules.text($0, minimum: 1, maximum: 100) },
                    state: query.oneOf("state", TaskState.allCases.map(\.rawValue)).flatMap(TaskState.init(rawValue:)),
                    customerID: query.id("customer_id"))
                let page = query.page()
                try query.finish()
                let tasks = try await inTenant(call) { tenant in
                    try await queue.tasks(tenantID: tenant.tenantID, matching: filter, limit: page.limit,
                                          startingAfter: page.startingAfter, on: tenant.connection)
                }
                return list(Page(items: tasks.tasks, hasMore: tasks.hasMore))
            },
            Endpoint(.get, "/v1/tasks/{task_id}", .tenantRead) { call in
                let id = try call.id("task_id")
                return try found(try await inTenant(call) { tenant in
                    try await queue.task(tenantID: tenant.tenantID, id: id, on: tenant.connection)
                }, "task")
            },
            Endpoint(.post, "/v1/tasks/{task_id}/cancel", .tenantWrite) { call in
                try await changedTask(call, .cancel)
            },
            Endpoint(.post, "/v1/tasks/{task_id}/redrive", .tenantWrite) { call in
                try await changedTask(call, .redrive)
            },
        ]
    }

    private func changedTask(_ call: Call, _ change: TaskChange) async throws -> APIResponse {
        let id = try call.id("task_id")
        do {
            return try found(try await changeTask(id, change, by: call.principal), "task")
        } catch let refusal as TaskChangeRefusal {
            switch refusal {
            case .notFound:
                throw APIError.notFound("no such task")
            case .finished(let state):
                throw APIError(.conflict, "task_finished", "the task has already finished (\(state.rawValue)); only waiting and running tasks can be cancelled")
            case .notDead(let state):
                throw APIError(.conflict, "task_not_dead", "the task is \(state.rawValue); only dead tasks can be redriven")
            }
        }
    }

    enum TaskChange {
        case cancel, redrive
    }

    /// Why a task could not be changed.
    enum TaskChangeRefusal: Error {
        case notFound
        /// Cancel: it has already finished.
        case finished(TaskState)
        /// Redrive: only dead tasks come back.
        case notDead(TaskState)
    }

    /// Cancels a waiting or running task, or redrives a dead one, of the principal's tenant, with the
    /// change in the audit log; returns the task as it then stands. The API and the dashboard both
    /// change tasks through here. One tenant transaction holds the change and its audit event, so
    /// neither happens without the other, and another tenant's task is out of sight.
    func changeTask(_ id: Int64, _ change: TaskChange, by principal: TenantPrincipal) async throws -> TaskRecord? {
        let tenantID = principal.tenantID
        return try await store.withTenant(tenantID, actor: principal.actor) { tenant -> TaskRecord? in
            let action: String
            switch change {
            case .cancel:
                switch try await queue.cancel(tenantID: tenantID, id: id, on: tenant.connection) {
                case .cancelled, .stopping: break
                case .alreadyFinished(let state): throw TaskChangeRefusal.finished(state)
                case .notFound: throw TaskChangeRefusal.notFound
                }
                action = "task.cancelled"
            case .redrive:
                guard let task = try await queue.task(tenantID: tenantID, id: id, on: tenant.connection) else {
                    throw TaskChangeRefusal.notFound
                }
                guard task.state == .dead else { throw TaskChangeRefusal.notDead(task.state) }
                try await queue.redrive(tenantID: tenantID, ids: [id], on: tenant.connection)
                action = "task.redriven"
            }
            guard let task = try await queue.task(tenantID: tenantID, id: id, on: tenant.connection) else { return nil }
            try await tenant.audit(action: action, customerID: task.customerID,
                                   details: ["task_id": String(id), "kind": task.kind, "state": task.state.rawValue])
            return task
        }
    }
}
