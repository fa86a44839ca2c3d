import Foundation

/// How a worker process runs its handlers.
public struct WorkerConfiguration: Sendable {
    /// Handlers running at once in this process.
    public var concurrency: Int
    /// Most tasks one claim statement takes.
    public var claimBatch: Int
    /// How long a claimed task stays the worker's without renewal; renewed every third of it.
    public var lease: Duration
    /// At shutdown, how long running handlers may take to finish before their tasks are given
    /// back to the queue.
    public var shutdownGrace: Duration
    /// After the grace period, how long cancelled handlers may take to return. A task whose
    /// handler has not returned by then is not given back: the process exits and the task's
    /// lease expires, so it never runs twice at once.
    public var cancelGrace: Duration
    /// How often an idle worker looks for work without a notification, and runs housekeeping
    /// (scheduled tasks falling due, expired leases).
    public var pollInterval: Duration
    public var backoff: Backoff
    /// How often depth and oldest-task gauges are sampled (a GROUP BY over the live tables).
    public var metricsInterval: Duration
    /// How long finished tasks stay in history (whole days, dropped by partition).
    public var historyRetentionDays: Int
    /// Identifies this process in leases and history; unique per run.
    public var workerID: String

    public init(
        concurrency: Int = 16, claimBatch: Int = 100, lease: Duration = .seconds(30),
        shutdownGrace: Duration = .seconds(10), cancelGrace: Duration = .seconds(5), pollInterval: Duration = .seconds(1), backoff: Backoff = Backoff(),
        metricsInterval: Duration = .seconds(15), historyRetentionDays: Int = 14,
        workerID: String = WorkerConfiguration.defaultWorkerID()
    ) {
        self.concurrency = concurrency
        self.claimBatch = claimBatch
        self.lease = lease
        self.shutdownGrace = shutdownGrace
        self.cancelGrace = cancelGrace
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.metricsInterval = metricsInterval
        self.historyRetentionDays = historyRetentionDays
        self.workerID = workerID
    }

    /// host:pid:random, so a restarted process on the same host never inherits old leases.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "worker"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host):\(getpid()):\(suffix)"
    }

    func validate() throws {
        guard concurrency >= 1 else { throw WorkerError.invalidConfiguration("concurrency must be at least 1") }
        guard claimBatch >= 1 else { throw WorkerError.invalidConfiguration("claim batch must be at least 1") }
        guard lease >= .milliseconds(300) else { throw WorkerError.invalidConfiguration("lease must be at least 300ms") }
        guard pollInterval > .zero else { throw WorkerError.invalidConfiguration("poll interval must be positive") }
        guard historyRetentionDays >= 1 else { throw WorkerError.invalidConfiguration("history retention must be at least a day") }
    }

    var leaseMilliseconds: Int64 {
        lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
    }
}
