import Logging
import Postgres

/// Vacuums the live tables whenever enough dead rows pile up, instead of waiting for
/// autovacuum's next round (once a minute by default, whatever the table's own settings).
///
/// Every claimed task leaves a dead entry at the head of its lane in `tasks_ready`, and every
/// finished one a dead row and a dead entry per index in `running_tasks`. At thousands of tasks
/// a second, a minute of them makes each claim walk tens of thousands of dead entries and each
/// start check a customer's unique key against a pile of dead duplicates. One worker at a time
/// (an advisory lock) runs the VACUUM, on a connection of its own, so claims never wait for it.
struct QueueVacuum: Sendable {
    let connection: SessionConnection
    let logger: Logger

    /// Dead rows that make a vacuum worth it, per table.
    static let thresholds = [("tasks", 20_000), ("running_tasks", 2_000)]

    func run(every interval: Duration) async {
        var lastShrink = ContinuousClock.now - .seconds(60)
        while !Task.isCancelled {
            do {
                try await vacuumIfNeeded(lastShrink: &lastShrink)
            } catch {
                logger.debug("queue vacuum skipped", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func vacuumIfNeeded(lastShrink: inout ContinuousClock.Instant) async throws {
        let rows = try await connection.query("""
            SELECT relname::text, n_dead_tup, n_tup_ins - n_tup_del, pg_relation_size(relid) / 8192 FROM pg_stat_user_tables
            WHERE relname IN ('tasks', 'running_tasks') AND schemaname = current_schema()
            """)
        var dead: [String: Int] = [:]
        var drainedAndLarge = false
        for row in rows {
            let (table, deadRows, liveRows, pages) = try row.decode((String, Int, Int, Int).self)
            dead[table] = deadRows
            if table == "tasks", liveRows < 1000, pages > QueueVacuumLimits.shrinkAbovePages { drainedAndLarge = true }
        }
        // Live rows are inserted minus deleted rows (a task's updates keep its row): n_live_tup is
        // what the last vacuum saw, and one that ran during a drain leaves it far behind.
        // Truncating the file takes a lock that stalls claims while it scans the empty tail, so
        // the live tables never truncate (vacuum_truncate = false) except here, at most once a
        // minute: after a backlog drained, when there is little to stall and much to give back.
        let shrink = drainedAndLarge && ContinuousClock.now - lastShrink >= .seconds(60)
        let due = Self.thresholds.filter { dead[$0.0, default: 0] >= $0.1 || (shrink && $0.0 == "tasks") }.map(\.0)
        guard !due.isEmpty else { return }
        // PARALLEL 0: parallel index workers would take the cores the claims need.
        let options = shrink ? "SKIP_LOCKED, PARALLEL 0, TRUNCATE true" : "SKIP_LOCKED, PARALLEL 0"
        let locked = try await connection.query("SELECT pg_try_advisory_lock(hashtext('arrears_queue_vacuum'))")[0]
            .decode(Bool.self, at: 0)
        // Another worker vacuuming meanwhile does not use up this one's shrink.
        guard locked else { return }
        if shrink { lastShrink = ContinuousClock.now }
        // SKIP_LOCKED: if autovacuum is already at it, leave it be.
        var failure: (any Error)?
        do {
            try await connection.simpleQuery("VACUUM (\(options)) \(due.joined(separator: ", "))")
        } catch {
            failure = error
        }
        _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext('arrears_queue_vacuum'))")
        if let failure { throw failure }
        logger.debug("vacuumed the live queue tables", metadata: ["tables": "\(due.joined(separator: ","))"])
    }
}

public enum QueueVacuumLimits {
    /// A drained `tasks` larger than this (pages) gives its empty space back to the file system.
    public static let shrinkAbovePages = 2_560
}
