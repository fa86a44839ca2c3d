import Dunning
import Logging
import Metrics
import Postgres
import Store

/// Samples the scheduler's lag — how long the longest-waiting due customer has been due — into
/// `arrears_scheduler_lag_seconds`. Every replica samples, not only the leader, so a leader that
/// holds the lock but stopped reviewing shows as lag that keeps growing.
struct LagSampler: Sendable {
    let pool: PostgresPool
    let store: ReviewStore
    let clock: any TimeSource
    let gauge: Gauge
    let logger: Logger

    func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                let lag = try await pool.withConnection { try await store.reviewLag(at: clock.now(), on: $0) }
                gauge.record(lag)
            } catch {
                logger.debug("could not sample the scheduler's lag", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
