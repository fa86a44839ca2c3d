import Foundation
import Logging
import Postgres
@testable import Scheduler
import TestSupport
import Testing

/// Several coordinators run the scheduler; one leads. When its session dies another takes over.
@Suite struct LeaderElectionTests {
    func scheduler(_ pool: PostgresPool, _ name: String, rejoinDelay: Duration = .seconds(2)) -> SchedulerService {
        var configuration = SchedulerService.Configuration(name: name)
        configuration.pollInterval = .milliseconds(100)
        configuration.rejoinDelay = rejoinDelay
        return SchedulerService(pool: pool, configuration: configuration, logger: Logger(label: "test.\(name)"))
    }

    func reviewers(_ pool: PostgresPool) async throws -> [String] {
        try await pool.query("SELECT DISTINCT details->>'scheduler' FROM audit_events ORDER BY 1").map { try $0.decode(String.self, at: 0) }
    }

    @Test("only the leader reviews; when its session dies the standby takes over, and a stopped leader hands over at once")
    func failover() async throws {
        try await withTestDatabase { pool, _ in
            let book = try await Book.create(pool)
            // The first leader waits long after losing the lock, so the handover is the standby's.
            let first = scheduler(pool, "first", rejoinDelay: .seconds(600))
            let second = scheduler(pool, "second")
            let firstRun = Task { try await first.run() }
            defer { firstRun.cancel() }
            try await eventually("first leads") { first.isLeader }
            let secondRun = Task { try await second.run() }
            defer { secondRun.cancel() }

            for index in 1...20 {
                let customer = try await book.customer("C-\(index)")
                try await book.invoice(customer, "INV-\(index)", due: "2025-02-20", eur: "800.00")
            }
            // Each customer is reviewed once or twice (again if its invoice came after its first review).
            try await eventually("everyone is reviewed") {
                try await pool.query("""
                    SELECT (SELECT count(DISTINCT customer_id) FROM audit_events) = 20
                       AND NOT EXISTS (SELECT FROM customers WHERE next_review_at <= now())
                    """)[0].decode(Bool.self, at: 0)
            }
            #expect(try await reviewers(pool) == ["first"])
            #expect(!second.isLeader && second.customersReviewed == 0)

            // The leader's session dies (a network cut, a killed backend): the server frees the lock.
            let killed = try await pool.query("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                 WHERE application_name = \(SchedulerService.lockSessionName("first"))
                """)[0].decode(Int.self, at: 0)
            #expect(killed == 1)
            try await eventually("second leads") { second.isLeader }
            try await eventually("first stands down") { !first.isLeader }

            let late = try await book.customer("C-late")
            try await eventually("the new customer is reviewed") {
                try await Reviews.auditEvents(pool, customer: late).count == 1
            }
            #expect(try await Reviews.auditEvents(pool, customer: late).map(\.scheduler) == ["second"])

            // A leader that stops gives the lock up at once; a new replica takes it.
            secondRun.cancel()
            _ = await secondRun.result
            #expect(!second.isLeader)
            let third = scheduler(pool, "third")
            let thirdRun = Task { try await third.run() }
            defer { thirdRun.cancel() }
            try await eventually("third leads") { third.isLeader }
            #expect(!first.isLeader)
        }
    }

    @Test("the lock's session asks for keepalives on both ends, where the operator has not set them")
    func keepalives() async throws {
        let lock = LeaderLock(configuration: PostgresConfiguration(connectionString: TestDatabase.serverURL), applicationName: "t")
        #expect(lock.configuration.fallbackParameters == LeaderLock.keepalives)

        try await withTestDatabase { _, database in
            var configuration = database.configuration()
            configuration.fallbackParameters = ["options": "-c tcp_keepalives_idle=30"]
            let connection = try await PostgresConnection.connect(configuration)
            try await LeaderLock.limitSilence(on: connection)
            let sources = try await connection.query("""
                SELECT name, source FROM pg_settings
                 WHERE name IN ('tcp_keepalives_idle', 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout')
                 ORDER BY name
                """).map { try $0.decode((String, String).self) }
            #expect(sources.map { "\($0.0)=\($0.1)" } == [
                "tcp_keepalives_count=session", "tcp_keepalives_idle=client", "tcp_keepalives_interval=session",
                "tcp_user_timeout=session",
            ])
        }
    }

    @Test("a health check that gets no answer gives up in time")
    func boundedCheck() async throws {
        try await withTestDatabase { _, database in
            let connection = try await PostgresConnection.connect(database.configuration())
            let started = ContinuousClock.now
            await #expect(throws: LockCheckTimedOut.self) {
                try await LeaderLock.answer(within: .milliseconds(200)) { try await connection.query("SELECT pg_sleep(10)") }
            }
            // Long before the answer comes, with room for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect(try await LeaderLock.answer(within: .seconds(30)) { try await connection.query("SELECT 1")[0].decode(Int.self, at: 0) } == 1)
        }
    }
}
