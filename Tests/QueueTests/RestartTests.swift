import Foundation
import LocalPostgres
import Logging
import Postgres
import Queue
import Testing
import TestSupport

/// Restarts a server, so it runs a private cluster instead of the shared one.
@Suite("Worker across a Postgres restart", .timeLimit(.minutes(3)))
struct RestartTests {
    @Test("a worker keeps running tasks after Postgres restarts under it")
    func workerReconnects() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-pg-\(UUID().uuidString.prefix(8))")
        let cluster = LocalPostgresCluster(root: folder)
        try cluster.start()
        defer {
            cluster.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let migrated = try ArrearsCommand.run(["migrate", "--database-url", cluster.connectionString])
        #expect(migrated.status == 0)
        let pool = PostgresPool(configuration: PostgresConfiguration(connectionString: cluster.connectionString, maxConnections: 2))
        defer { pool.close() }
        let queue = TaskQueue(pool: pool, logger: Logger(label: "test.queue"))
        let worker = try ChildProcess([
            ArrearsCommand.binary.path, "worker", "--database-url", cluster.connectionString, "--log-format", "json",
            "--poll-interval", "200ms",
        ])
        defer { worker.stop() }
        _ = try await worker.waitForLine { $0.contains(#""message":"worker ready""#) }

        let before = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.noop"))
        try await eventually("the first task ran") { try await queue.task(tenantID: 1, id: before.id)?.state == .succeeded }

        try cluster.restart()

        let after = try await queue.enqueue(NewTask(tenantID: 1, customerID: 1, kind: "diagnostic.noop"))
        try await eventually("the task enqueued after the restart ran", timeout: .seconds(60)) {
            try await queue.task(tenantID: 1, id: after.id)?.state == .succeeded
        }
    }
}
