import Foundation
import Postgres

/// A tenant's queue at a glance: what waits, what runs and on which workers, what died lately.
public struct QueueOverview: Sendable, Hashable {
    public struct WorkerLoad: Sendable, Hashable {
        public var worker: String
        public var running: Int
        /// The soonest lease of its tasks to run out; past means the worker has stopped renewing.
        public var nextLeaseExpiry: Date
    }

    public var available: Int
    public var scheduled: Int
    public var running: Int
    public var deadInLastDay: Int
    public var workers: [WorkerLoad]
}

extension TaskQueue {
    /// Runs on the caller's (tenant) connection, so row-level security applies as well.
    public func overview(tenantID: Int64, on connection: PostgresConnection) async throws -> QueueOverview {
        let counts = try await connection.query("""
            SELECT (SELECT count(*) FROM tasks WHERE tenant_id = \(tenantID) AND state = 'available'),
                   (SELECT count(*) FROM tasks WHERE tenant_id = \(tenantID) AND state = 'scheduled'),
                   (SELECT count(*) FROM running_tasks WHERE tenant_id = \(tenantID)),
                   (SELECT count(*) FROM task_history WHERE tenant_id = \(tenantID) AND state = 'dead'
                       AND finished_at > now() - interval '1 day')
            """)[0].decode((Int, Int, Int, Int).self)
        let workers = try await connection.query("""
            SELECT lease_owner, count(*), min(lease_expires_at) FROM running_tasks WHERE tenant_id = \(tenantID)
             GROUP BY lease_owner ORDER BY lease_owner
            """).map { row in
            let (worker, running, expiry) = try row.decode((String, Int, Date).self)
            return QueueOverview.WorkerLoad(worker: worker, running: running, nextLeaseExpiry: expiry)
        }
        return QueueOverview(available: counts.0, scheduled: counts.1, running: counts.2, deadInLastDay: counts.3, workers: workers)
    }
}
