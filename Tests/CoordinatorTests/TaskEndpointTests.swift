import Foundation
import Logging
import Postgres
import Queue
import Testing

/// The queue as a tenant sees it: list, inspect, cancel, redrive.
@Suite struct TaskEndpointTests {
    /// Queue rows for a tenant: a waiting task through the queue's own enqueue, a running one
    /// and a dead one as a worker would have left them.
    struct Tasks {
        var waiting: Int64
        var scheduled: Int64
        var running: Int64
        var dead: Int64
    }

    static func queue(_ fixture: APIFixture) -> TaskQueue {
        TaskQueue(pool: fixture.pool, logger: Logger(label: "test"))
    }

    static func makeTasks(_ fixture: APIFixture, tenantID: Int64, customerID: Int64) async throws -> Tasks {
        let queue = queue(fixture)
        let waiting = try await queue.enqueue(NewTask(
            tenantID: tenantID, customerID: customerID, kind: "outreach", payload: PostgresJSON(#"{"stage": "first"}"#),
            priority: 3, dedupeKey: "outreach:\(customerID)"))
        let scheduled = try await queue.enqueue(NewTask(
            tenantID: tenantID, customerID: customerID, kind: "promise_verification", runAt: Date().addingTimeInterval(86_400)))
        let running = try await fixture.pool.query("""
            INSERT INTO running_tasks (tenant_id, id, customer_id, kind, payload, priority, run_at, attempt, max_attempts,
                                       created_at, lease_owner, lease_expires_at)
            VALUES (\(tenantID), nextval('tasks_id_seq'), NULL, 'reply_triage', '{"message_id": 1}', 0, now(), 1, 5, now(),
                    'worker-7', now() + interval '30 seconds')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        let dead = try await fixture.pool.query("""
            INSERT INTO task_history (tenant_id, id, customer_id, kind, payload, priority, run_at, state, attempt, max_attempts,
                                      last_error, created_at, started_at, finished_at, worker)
            VALUES (\(tenantID), nextval('tasks_id_seq'), \(customerID), 'outreach', '{}', 0, now(), 'dead', 5, 5,
                    'smtp down', now(), now(), now(), 'worker-7')
            RETURNING id
            """)[0].decode(Int64.self, at: 0)
        return Tasks(waiting: waiting.id, scheduled: scheduled.id, running: running, dead: dead)
    }

    static func customer(_ client: APIClient, _ key: String, _ ref: String = "C-1") async throws -> Int64 {
        try await client.create("/v1/customers", key: key, #"{"external_ref": "\#(ref)", "name": "Buyer", "currency": "EUR"}"#)
    }

    @Test func listsTheTenantsTasksNewestFirstWithFilters() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstReadOnly
            let customer = try await Self.customer(client, fixture.firstAdmin)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            let other = try await Self.customer(client, fixture.secondAdmin)
            _ = try await Self.makeTasks(fixture, tenantID: fixture.second.id, customerID: other)

            let all = try await client.get("/v1/tasks", key: key)
            #expect(all.status == 200)
            #expect(all.string("object") == "list")
            #expect(all.ids == [tasks.dead, tasks.running, tasks.scheduled, tasks.waiting], "newest first, the first tenant's only")
            #expect(all.object["has_more"] as? Bool == false)

            #expect(try await client.get("/v1/tasks?state=running", key: key).ids == [tasks.running])
            #expect(try await client.get("/v1/tasks?state=scheduled", key: key).ids == [tasks.scheduled])
            #expect(try await client.get("/v1/tasks?state=available", key: key).ids == [tasks.waiting])
            #expect(try await client.get("/v1/tasks?state=dead&kind=outreach", key: key).ids == [tasks.dead])
            #expect(try await client.get("/v1/tasks?kind=outreach", key: key).ids == [tasks.dead, tasks.waiting])
            #expect(try await client.get("/v1/tasks?customer_id=\(customer)", key: key).ids == [tasks.dead, tasks.scheduled, tasks.waiting])
            #expect(try await client.get("/v1/tasks?state=cancelled", key: key).ids == [])

            let first = try await client.get("/v1/tasks?limit=3", key: key)
            #expect(first.ids == [tasks.dead, tasks.running, tasks.scheduled])
            #expect(first.object["has_more"] as? Bool == true)
            let next = try await client.get("/v1/tasks?limit=3&starting_after=\(tasks.scheduled)", key: key)
            #expect(next.ids == [tasks.waiting])
            #expect(next.object["has_more"] as? Bool == false)
        }
    }

    @Test func badFiltersAre400() async throws {
        try await withAPI { client, fixture in
            for query in ["state=failed", "limit=0", "limit=101", "customer_id=abc", "starting_after=-1", "queue=x",
                          "kind=", "state=dead&state=running"] {
                let reply = try await client.get("/v1/tasks?\(query)", key: fixture.firstAdmin)
                #expect(reply.status == 400, "\(query): \(reply.text)")
                #expect(reply.errorCode == "invalid_parameter", "\(query)")
            }
        }
    }

    @Test func aTaskShowsEverythingAboutIt() async throws {
        try await withAPI { client, fixture in
            let customer = try await Self.customer(client, fixture.firstAdmin)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)

            let waiting = try await client.get("/v1/tasks/\(tasks.waiting)", key: fixture.firstReadOnly)
            #expect(waiting.status == 200)
            #expect(waiting.string("object") == "task")
            #expect(waiting.string("kind") == "outreach")
            #expect(waiting.string("state") == "available")
            #expect(waiting.int("customer_id") == customer)
            #expect((waiting.object["payload"] as? [String: Any])?["stage"] as? String == "first")
            #expect(waiting.int("priority") == 3)
            #expect(waiting.int("attempt") == 0)
            #expect(waiting.int("max_attempts") == 5)
            #expect(waiting.string("dedupe_key") == "outreach:\(customer)")
            #expect(waiting.object["lease_owner"] is NSNull)
            #expect(waiting.object["started_at"] is NSNull)
            #expect(waiting.string("run_at") != nil && waiting.string("created_at") != nil)

            let running = try await client.get("/v1/tasks/\(tasks.running)", key: fixture.firstReadOnly)
            #expect(running.string("state") == "running")
            #expect(running.string("lease_owner") == "worker-7")
            #expect(running.string("worker") == "worker-7")
            #expect(running.string("lease_expires_at") != nil)
            #expect(running.string("started_at") != nil)
            #expect(running.object["customer_id"] is NSNull)
            #expect(running.object["cancel_requested"] as? Bool == false)

            let dead = try await client.get("/v1/tasks/\(tasks.dead)", key: fixture.firstReadOnly)
            #expect(dead.string("state") == "dead")
            #expect(dead.string("last_error") == "smtp down")
            #expect(dead.string("finished_at") != nil)
            #expect(dead.object["lease_expires_at"] is NSNull)

            #expect(try await client.get("/v1/tasks/987654", key: fixture.firstAdmin).status == 404)
            #expect(try await client.get("/v1/tasks/abc", key: fixture.firstAdmin).status == 404)
        }
    }

    @Test func cancelStopsWaitingTasksAtOnceAndFlagsRunningOnes() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await Self.customer(client, key)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)

            let readOnly = try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: fixture.firstReadOnly, "")
            #expect(readOnly.status == 403)
            #expect(try await client.get("/v1/tasks/\(tasks.waiting)", key: key).string("state") == "available", "a read-only key changed nothing")

            let cancelled = try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "")
            #expect(cancelled.status == 200, "\(cancelled.text)")
            #expect(cancelled.string("state") == "cancelled")
            #expect(cancelled.string("finished_at") != nil)
            #expect(try await client.get("/v1/tasks?state=cancelled", key: key).ids == [tasks.waiting])

            let again = try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "")
            #expect(again.status == 409)
            #expect(again.errorCode == "task_finished")
            let dead = try await client.post("/v1/tasks/\(tasks.dead)/cancel", key: key, "")
            #expect(dead.status == 409)
            #expect(dead.errorCode == "task_finished")

            let stopping = try await client.post("/v1/tasks/\(tasks.running)/cancel", key: key, "")
            #expect(stopping.status == 200)
            #expect(stopping.string("state") == "running", "it stops at its worker's next renewal")
            #expect(stopping.object["cancel_requested"] as? Bool == true)

            #expect(try await client.post("/v1/tasks/987654/cancel", key: key, "").status == 404)

            let audit = try await client.get("/v1/audit-events?action=task.cancelled", key: key)
            #expect(audit.data.count == 2)
        }
    }

    @Test func aRetriedCancelReplaysItsFirstAnswer() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await Self.customer(client, key)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            let headers = ["Idempotency-Key": "cancel-\(tasks.waiting)"]
            let first = try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "", headers: headers)
            let retry = try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "", headers: headers)
            #expect(first.status == 200)
            #expect(retry.status == 200, "not 409: the retry gets the first answer")
            #expect(retry.text == first.text)
            #expect(retry.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(try await client.get("/v1/audit-events?action=task.cancelled", key: key).data.count == 1, "cancelled once")
        }
    }

    @Test func redriveGivesADeadTaskFreshAttempts() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await Self.customer(client, key)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)

            #expect(try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: fixture.firstReadOnly, "").status == 403)
            let notDead = try await client.post("/v1/tasks/\(tasks.scheduled)/redrive", key: key, "")
            #expect(notDead.status == 409)
            #expect(notDead.errorCode == "task_not_dead")
            #expect(try await client.post("/v1/tasks/\(tasks.running)/redrive", key: key, "").errorCode == "task_not_dead")
            #expect(try await client.post("/v1/tasks/987654/redrive", key: key, "").status == 404)

            // The waiting outreach task holds the dedupe key; cancel it so the dead one can return.
            #expect(try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "").status == 200)
            let revived = try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "",
                                                headers: ["Idempotency-Key": "redrive-1"])
            #expect(revived.status == 200, "\(revived.text)")
            #expect(revived.int("id") == tasks.dead)
            #expect(revived.string("state") == "available")
            #expect(revived.int("attempt") == 0)
            #expect(revived.string("last_error") == "smtp down", "the last error stays until the next attempt")
            let replay = try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "", headers: ["Idempotency-Key": "redrive-1"])
            #expect(replay.text == revived.text)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "").errorCode == "task_not_dead")
            #expect(try await client.get("/v1/audit-events?action=task.redriven", key: key).data.count == 1)
        }
    }

    @Test func aRedrivenTaskWhoseKeyIsTakenIsSupersededNotDuplicated() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await Self.customer(client, key)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            try await fixture.pool.query("UPDATE task_history SET dedupe_key = \("outreach:\(customer)") WHERE id = \(tasks.dead)")
            let reply = try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "")
            #expect(reply.status == 200)
            #expect(reply.string("state") == "cancelled")
            #expect(try await client.get("/v1/tasks?state=available&kind=outreach", key: key).ids == [tasks.waiting])
        }
    }

    @Test func cancelAndRedriveHappenOnlyWithTheirAuditEvent() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await Self.customer(client, key)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            // An audit log that cannot take task events: a change it cannot record must not happen.
            try await fixture.pool.withConnection { connection in
                try await connection.simpleQuery("""
                    CREATE FUNCTION refuse_task_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$
                    """)
                try await connection.simpleQuery("""
                    CREATE TRIGGER refuse_task_audit BEFORE INSERT ON audit_events
                    FOR EACH ROW WHEN (NEW.action LIKE 'task.%') EXECUTE FUNCTION refuse_task_audit()
                    """)
            }
            #expect(try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "").status == 500)
            #expect(try await client.post("/v1/tasks/\(tasks.running)/cancel", key: key, "").status == 500)
            #expect(try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "").status == 500)
            #expect(try await client.get("/v1/tasks/\(tasks.waiting)", key: key).string("state") == "available")
            #expect(try await client.get("/v1/tasks/\(tasks.running)", key: key).object["cancel_requested"] as? Bool == false)
            #expect(try await client.get("/v1/tasks/\(tasks.dead)", key: key).string("state") == "dead")

            try await fixture.pool.query("DROP TRIGGER refuse_task_audit ON audit_events")
            #expect(try await client.post("/v1/tasks/\(tasks.waiting)/cancel", key: key, "").string("state") == "cancelled")
            #expect(try await client.post("/v1/tasks/\(tasks.dead)/redrive", key: key, "").string("state") == "available")
            let audit = try await client.get("/v1/audit-events", key: key).data.filter { ($0["action"] as? String)?.hasPrefix("task.") == true }
            #expect(audit.compactMap { $0["action"] as? String } == ["task.redriven", "task.cancelled"])
            #expect(audit.compactMap { ($0["details"] as? [String: Any])?["task_id"] as? String } == ["\(tasks.dead)", "\(tasks.waiting)"])
        }
    }

    @Test func anotherTenantsTaskCannotBeCancelledOrRedriven() async throws {
        try await withAPI { client, fixture in
            let customer = try await Self.customer(client, fixture.firstAdmin)
            let tasks = try await Self.makeTasks(fixture, tenantID: fixture.first.id, customerID: customer)
            for id in [tasks.waiting, tasks.running, tasks.dead] {
                for action in ["cancel", "redrive"] {
                    let reply = try await client.post("/v1/tasks/\(id)/\(action)", key: fixture.secondAdmin, "")
                    #expect(reply.status == 404, "\(action) \(id): \(reply.text)")
                    #expect(reply.errorCode == "not_found")
                }
            }
            let key = fixture.firstAdmin
            #expect(try await client.get("/v1/tasks/\(tasks.waiting)", key: key).string("state") == "available")
            #expect(try await client.get("/v1/tasks/\(tasks.running)", key: key).object["cancel_requested"] as? Bool == false)
            #expect(try await client.get("/v1/tasks/\(tasks.dead)", key: key).string("state") == "dead")
            #expect(try await client.get("/v1/audit-events?action=task.cancelled", key: fixture.secondAdmin).data.isEmpty)
            #expect(try await client.get("/v1/audit-events?action=task.redriven", key: fixture.secondAdmin).data.isEmpty)
        }
    }
}
