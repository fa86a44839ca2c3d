import Foundation
import Postgres
import TestSupport
import Testing

/// Several `arrears serve` processes against one database, as a deployment runs them: all answer
/// the API, exactly one leads the scheduler, and when it dies another takes over.
@Suite struct ReplicaFailoverTests {
    @Test func whenTheLeaderIsKilledAnotherReplicaLeadsWithinTenSecondsAndTheAPIKeepsAnswering() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let created = try await arrears(["tenant", "create", "acme", "--name", "Acme", "--database-url", database.connectionString])
        let key = try await created.waitForLine(timeout: .seconds(10)) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count)

        var replicas: [Replica] = []
        for _ in 0..<3 { replicas.append(try await Replica.serve(database)) }
        defer { replicas.forEach { $0.child.stop() } }
        let pool = PostgresPool(configuration: database.configuration(maxConnections: 1))
        defer { pool.close() }

        let leader = try await eventually(within: .seconds(30), "a replica leads") {
            try await Self.leaders(pool, among: replicas).first
        }
        #expect(try await Self.leaders(pool, among: replicas).count == 1, "exactly one replica holds the leader lock")
        #expect(text(try await request("\(leader.base)/metrics")).contains("arrears_scheduler_leader 1"))

        leader.child.signal(SIGKILL)
        #expect(await leader.child.exitStatus() == 128 + SIGKILL)
        let survivors = replicas.filter { $0.pid != leader.pid }
        let next = try await eventually(within: .seconds(10), "a surviving replica leads after the leader was killed") {
            try await Self.leaders(pool, among: survivors).first
        }
        #expect(next.pid != leader.pid)
        #expect(text(try await request("\(next.base)/metrics")).contains("arrears_scheduler_leader 1"))

        for replica in survivors {
            #expect(try await request("\(replica.base)/readyz").status == 200)
            #expect(try await request("\(replica.base)/v1/customers", key: String(key)).status == 200)
        }
    }

    /// The replicas whose scheduler session (`application_name` "arrears scheduler <host>-<pid>")
    /// holds the leader's advisory lock in this database.
    static func leaders(_ pool: PostgresPool, among replicas: [Replica]) async throws -> [Replica] {
        // A bigint advisory key is stored as its high and low 32 bits.
        let key: UInt64 = 0x6172_7265_6172_7301
        let rows = try await pool.query("""
            SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::bigint = \(Int64(key >> 32)) AND l.objid::bigint = \(Int64(key & 0xFFFF_FFFF)) AND l.objsubid = 1
               AND a.application_name LIKE 'arrears scheduler %'
            """)
        let pids = try rows.map { try $0.decode(String.self, at: 0) }.compactMap { $0.split(separator: "-").last.flatMap { Int32($0) } }
        return replicas.filter { pids.contains($0.pid) }
    }
}
