import Foundation
import Logging
import Postgres
import Queue
import TestSupport
import Testing

/// `arrears worker --metrics-port`: what Prometheus scrapes and the liveness probe asks.
@Suite struct WorkerMetricsTests {
    @Test func theWorkerServesItsMetricsAndHealth() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let pool = PostgresPool(configuration: database.configuration(maxConnections: 2))
        defer { pool.close() }
        let queue = TaskQueue(pool: pool, logger: Logger(label: "test.queue"))
        // Sampled when the worker starts: a task for later, and one ready of a kind this worker does not run.
        _ = try await queue.enqueue(NewTask(tenantID: 1, customerID: 2, kind: "diagnostic.noop", runAt: Date().addingTimeInterval(3600)))
        _ = try await queue.enqueue(NewTask(tenantID: 1, customerID: 3, kind: "diagnostic.sleep"))

        let worker = try ChildProcess([
            ArrearsCommand.binary.path, "worker", "--database-url", database.connectionString, "--poll-interval", "200ms",
            "--kinds", "diagnostic.noop", "--metrics-port", "0",
        ])
        defer { worker.stop() }
        let line = try await worker.waitForLine { $0.hasPrefix("arrears worker metrics on ") }
        let base = String(line.dropFirst("arrears worker metrics on ".count))
        #expect(base.hasPrefix("http://127.0.0.1:"), "loopback unless told otherwise")
        _ = try await worker.waitForLine { $0.contains("worker ready") }

        _ = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.noop"))
        let metrics = try await eventually(within: .seconds(30), "the finished task is counted") { () -> String? in
            let metrics = text(try await request("\(base)/metrics"))
            return metrics.contains(#"arrears_task_runs_total{kind="diagnostic.noop",outcome="succeeded",state="succeeded"} 1"#) ? metrics : nil
        }
        #expect(metrics.contains(#"arrears_queue_depth{tenant="1",kind="diagnostic.noop",state="scheduled"} 1"#))
        #expect(metrics.contains(#"arrears_queue_depth{tenant="1",kind="diagnostic.sleep",state="available"} 1"#))
        #expect(metrics.contains(#"arrears_queue_oldest_available_seconds{kind="diagnostic.sleep"} "#))
        #expect(metrics.contains(#"arrears_db_pool_connections_max{pool="arrears"} "#))
        #expect(metrics.contains(#"arrears_db_pool_connections_in_use{pool="arrears"} "#))
        #expect(metrics.contains("arrears_worker_running_tasks"))
        #expect(try await request("\(base)/healthz").status == 200)

        worker.signal(SIGTERM)
        #expect(await worker.exitStatus() == 0)
    }

    @Test func withoutAPortThereIsNoMetricsEndpoint() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let worker = try ChildProcess([ArrearsCommand.binary.path, "worker", "--database-url", database.connectionString])
        defer { worker.stop() }
        _ = try await worker.waitForLine { $0.contains("worker ready") }
        #expect(!worker.lines.contains { $0.hasPrefix("arrears worker metrics on ") })
    }
}
