import Metrics

/// How full a pool is, as gauges labelled with the pool's `application_name`: connections in
/// use and idle, callers waiting for one, and the most it may open. Waiting callers with every
/// connection in use mean the pool, not the database, is what requests queue on.
struct PoolMetrics: Sendable {
    private let inUse: Gauge
    private let idle: Gauge
    private let waiting: Gauge

    init(configuration: PostgresConfiguration) {
        let dimensions = [("pool", configuration.applicationName)]
        inUse = Gauge(label: "arrears_db_pool_connections_in_use", dimensions: dimensions)
        idle = Gauge(label: "arrears_db_pool_connections_idle", dimensions: dimensions)
        waiting = Gauge(label: "arrears_db_pool_waiting", dimensions: dimensions)
        Gauge(label: "arrears_db_pool_connections_max", dimensions: dimensions).record(configuration.maxConnections)
    }

    /// Called under the pool's lock, so the last value written is the pool's state.
    func record(open: Int, idle idleCount: Int, waiting waitingCount: Int) {
        inUse.record(open - idleCount)
        idle.record(idleCount)
        waiting.record(waitingCount)
    }
}
