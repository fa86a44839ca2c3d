import Logging
import Metrics
import Postgres
import ServiceLifecycle

/// Samples queue depth by tenant, kind and state, and the age of the oldest ready task per
/// kind, into gauges. A GROUP BY over the live tables, so it runs every few seconds, not per
/// claim; series that disappear are set to zero.
///
/// Every worker and every coordinator replica runs one, not only the scheduler's leader: an
/// autoscaler or dashboard reading any one replica's /metrics sees the queue with no worker
/// running and through a leader failover, for one cheap query per process and interval. Every
/// process reports the same queue, so aggregate with `max`.
public struct DepthSampler: Service {
    let pool: PostgresPool
    let interval: Duration
    let logger: Logger

    public init(pool: PostgresPool, interval: Duration = .seconds(15), logger: Logger) {
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    /// Samples until cancelled or the service group shuts down.
    public func run() async {
        await cancelWhenGracefulShutdown {
            var reported: Set<[String]> = []
            var reportedKinds: Set<String> = []
            while !Task.isCancelled {
                do {
                    (reported, reportedKinds) = try await sample(previous: reported, previousKinds: reportedKinds)
                } catch {
                    logger.debug("could not sample queue depth", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func sample(previous: Set<[String]>, previousKinds: Set<String>) async throws -> (Set<[String]>, Set<String>) {
        let rows = try await pool.query("""
            SELECT tenant_id, kind, state, count(*),
                   extract(epoch FROM now() - min(run_at) FILTER (WHERE state = 'available'))::float8
            FROM tasks GROUP BY tenant_id, kind, state
            UNION ALL
            SELECT tenant_id, kind, 'running', count(*), NULL FROM running_tasks GROUP BY tenant_id, kind
            """)
        var seen: Set<[String]> = []
        var oldest: [String: Double] = [:]
        for row in rows {
            let (tenant, kind, state, count, age) = try row.decode((Int64, String, String, Int, Double?).self)
            let labels = [String(tenant), kind, state]
            seen.insert(labels)
            depth(labels).record(count)
            if let age { oldest[kind] = max(oldest[kind] ?? 0, age) }
        }
        for labels in previous.subtracting(seen) { depth(labels).record(0) }
        for kind in previousKinds.union(oldest.keys) {
            Gauge(label: "arrears_queue_oldest_available_seconds", dimensions: [("kind", kind)]).record(oldest[kind] ?? 0)
        }
        return (seen, Set(oldest.keys).union(previousKinds))
    }

    private func depth(_ labels: [String]) -> Gauge {
        Gauge(label: "arrears_queue_depth", dimensions: [("tenant", labels[0]), ("kind", labels[1]), ("state", labels[2])])
    }
}
