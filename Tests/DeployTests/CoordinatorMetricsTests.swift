import Foundation
import Logging
import Postgres
import Queue
import TestSupport
import Testing

/// `arrears serve`'s /metrics shows the queue by itself, so an autoscaler can start workers from zero.
@Suite struct CoordinatorMetricsTests {
    @Test func theCoordinatorExportsQueueDepthWithNoWorkerRunning() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let pool = PostgresPool(configuration: database.configuration(maxConnections: 2))
        defer { pool.close() }
        let queue = TaskQueue(pool: pool, logger: Logger(label: "test.queue"))
        _ = try await queue.enqueue((1...3).map { NewTask(tenantID: 1, customerID: $0, kind: "outreach") })
        _ = try await queue.enqueue(NewTask(tenantID: 2, customerID: 4, kind: "reply_triage", runAt: Date().addingTimeInterval(3600)))

        let replica = try await Replica.serve(database)
        defer { replica.child.stop() }
        let metrics = try await eventually(within: .seconds(30), "the queue depth is exported") { () -> String? in
            let metrics = text(try await request("\(replica.base)/metrics"))
            return metrics.contains(#"arrears_queue_depth{tenant="1",kind="outreach",state="available"} 3"#) ? metrics : nil
        }
        #expect(metrics.contains(#"arrears_queue_depth{tenant="2",kind="reply_triage",state="scheduled"} 1"#))
        #expect(metrics.contains(#"arrears_queue_oldest_available_seconds{kind="outreach"} "#))
    }
}
