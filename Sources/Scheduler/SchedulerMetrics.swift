import Metrics

/// What an operator watches: which replica leads, how far behind it is, how many customers it
/// reviews, what it dispatches.
struct SchedulerMetrics: Sendable {
    let leader = Gauge(label: "arrears_scheduler_leader")
    /// Seconds the longest-waiting due customer has waited for its review (see `LagSampler`).
    let lag = Gauge(label: "arrears_scheduler_lag_seconds")
    let customersReviewed = Counter(label: "arrears_scheduler_customers_reviewed_total")
    let customersSkipped = Counter(label: "arrears_scheduler_customers_skipped_total")
    let tasksEnqueued = Counter(label: "arrears_scheduler_tasks_enqueued_total")
    let tasksDeduplicated = Counter(label: "arrears_scheduler_tasks_deduplicated_total")
    let passDuration = Timer(label: "arrears_scheduler_review_pass_seconds")

    func record(_ summary: Reviewer.Summary, duration: Duration) {
        customersReviewed.increment(by: summary.customers)
        customersSkipped.increment(by: summary.customersSkipped)
        tasksEnqueued.increment(by: summary.tasksEnqueued)
        tasksDeduplicated.increment(by: summary.tasksDeduplicated)
        passDuration.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000
            + duration.components.attoseconds / 1_000_000_000)
    }
}
