import Foundation

/// What `arrears bench queue` measured, as text and as the final JSON line.
struct BenchResults {
    var server = ""
    var enqueuePerSecond = 0.0
    var drainPerSecond = 0.0
    /// Enqueue→start of single tasks on the idle queue, milliseconds.
    var latency: (p50: Double, p95: Double, p99: Double)?
    /// Mean wait in the queue (enqueue commit to start, ms) of the small tenants' tasks while
    /// the big backlog drains, and on an idle queue.
    var smallTenantWait: (loaded: Double, unloaded: Double)?
    /// Median claim time (ms) by queue size, and the fewest tasks a timed claim took.
    var claims: [(queued: Int, milliseconds: Double, claimed: Int)] = []
    var claimPlan = ""
    var liveTable: (rows: Int, heapBytes: Int, indexBytes: Int, historyRows: Int)?

    var smallTenantWaitRatio: Double? {
        smallTenantWait.map { $0.loaded / max($0.unloaded, 0.001) }
    }

    func summary(options: QueueBenchCommand) -> String {
        var lines = [
            "enqueue:  \(rate(enqueuePerSecond)) tasks/s (batches of \(options.enqueueBatch), \(options.enqueuers) connections)",
            "drain:    \(rate(drainPerSecond)) tasks/s (first start to last finish)",
        ]
        if let latency {
            lines.append("latency:  enqueue→start p50 \(ms(latency.p50)) ms, p95 \(ms(latency.p95)) ms, p99 \(ms(latency.p99)) ms "
                         + "(\(options.latencySamples) single tasks on the idle queue)")
        }
        if let wait = smallTenantWait, let ratio = smallTenantWaitRatio {
            lines.append("skew:     small tenants' mean wait \(ms(wait.loaded)) ms behind the 99% backlog vs \(ms(wait.unloaded)) ms "
                         + "on an idle queue: ratio \(String(format: "%.2f", ratio))")
        }
        if let live = liveTable {
            lines.append("live:     \(live.rows) rows left in tasks after \(live.historyRows) tasks; its file \(live.heapBytes / 1024) kB, "
                         + "its indexes \(live.indexBytes / 1024) kB")
        }
        for claim in claims {
            lines.append("claim:    \(claim.queued) queued: \(ms(claim.milliseconds)) ms median for a batch of \(options.batch) "
                         + "(21 claims, rolled back; each took ≥ \(claim.claimed))")
        }
        if claims.count >= 2, let first = claims.first, let last = claims.last {
            lines.append("claim:    \(last.queued) vs \(first.queued) queued: ×\(String(format: "%.2f", last.milliseconds / first.milliseconds))")
        }
        if !claimPlan.isEmpty {
            lines.append("claim plan at \(claims.last?.queued ?? 0) queued (EXPLAIN ANALYZE, rolled back):")
            lines.append(claimPlan.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var fields: [(String, Double)] = [
            ("enqueue_per_s", enqueuePerSecond.rounded()), ("drain_per_s", drainPerSecond.rounded()),
            ("latency_p50_ms", round3(latency?.p50 ?? 0)), ("latency_p95_ms", round3(latency?.p95 ?? 0)),
            ("latency_p99_ms", round3(latency?.p99 ?? 0)),
        ]
        if let ratio = smallTenantWaitRatio { fields.append(("small_tenant_wait_ratio", round3(ratio))) }
        for claim in claims { fields.append(("claim_ms_\(claim.queued)_queued", round3(claim.milliseconds))) }
        return "{" + fields.map { "\"\($0.0)\": \(number($0.1))" }.joined(separator: ", ") + "}"
    }

    private func rate(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
    }

    private func ms(_ value: Double) -> String { String(format: "%.2f", value) }
    private func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
