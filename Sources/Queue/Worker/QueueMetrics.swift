import Metrics
import Synchronization

/// The queue's metrics (swift-metrics; Prometheus in the arrears binary). Per-kind metric
/// objects are cached: a worker records several per task, thousands of tasks a second.
final class QueueMetrics: Sendable {
    let claimDuration = Timer(label: "arrears_queue_claim_duration_seconds")
    let claimedTasks = Counter(label: "arrears_queue_claimed_total")
    let leasesLost = Counter(label: "arrears_queue_leases_lost_total")
    let leasesReaped = Counter(label: "arrears_queue_leases_expired_total")
    let runningTasks = Gauge(label: "arrears_worker_running_tasks")

    private let runDurations = Mutex<[String: Timer]>([:])
    private let ended = Mutex<[String: Counter]>([:])

    /// How long a handler ran, by kind.
    func recordRun(kind: String, duration: Duration) {
        let timer = runDurations.withLock { timers in
            if let timer = timers[kind] { return timer }
            let timer = Timer(label: "arrears_task_run_duration_seconds", dimensions: [("kind", kind)])
            timers[kind] = timer
            return timer
        }
        timer.record(duration: duration)
    }

    /// How a batch of runs settled: the outcome a worker reported and the state the task ended
    /// in (succeeded, dead, cancelled; scheduled or available when retried, snoozed or released).
    struct Settlement: Hashable {
        let kind: String
        let outcome: String
        let state: String
    }

    /// Retries and dead tasks also get counters of their own.
    func recordSettled(_ settlement: Settlement, count: Int) {
        let kind = settlement.kind
        counter(kind: kind, name: "arrears_task_runs_total", labels: [("outcome", settlement.outcome), ("state", settlement.state)])
            .increment(by: count)
        if settlement.outcome == "failed" && settlement.state != "dead" {
            counter(kind: kind, name: "arrears_task_retries_total", labels: []).increment(by: count)
        }
        if settlement.state == "dead" {
            counter(kind: kind, name: "arrears_task_dead_total", labels: []).increment(by: count)
        }
    }

    private func counter(kind: String, name: String, labels: [(String, String)]) -> Counter {
        let key = ([name, kind] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
        return ended.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: name, dimensions: [("kind", kind)] + labels)
            counters[key] = counter
            return counter
        }
    }
}
