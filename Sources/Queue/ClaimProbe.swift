import Foundation
import Postgres

/// Runs the claim statement as a worker would, inside a transaction that is rolled back, to
/// time it and show its plan without taking any task (`arrears bench queue` uses it to show
/// that claim cost stays flat as the queue grows).
public struct ClaimProbe: Sendable {
    public let configuration: PostgresConfiguration

    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    /// Wall-clock time of each of `runs` claims of up to `limit` tasks, and how many each took.
    public func measure(kind: String, limit: Int, runs: Int) async throws -> [(duration: Duration, claimed: Int)] {
        let connection = try await Self.connect(configuration)
        var results: [(Duration, Int)] = []
        for _ in 0..<runs {
            try await connection.simpleQuery("BEGIN")
            let began = ContinuousClock.now
            let rows = try await connection.query(statement(kind: kind, limit: limit))
            results.append((ContinuousClock.now - began, rows.count))
            try await connection.simpleQuery("ROLLBACK")
        }
        return results
    }

    /// `EXPLAIN (ANALYZE, BUFFERS)` of one claim, rolled back.
    public func explain(kind: String, limit: Int) async throws -> String {
        let connection = try await Self.connect(configuration)
        try await connection.simpleQuery("BEGIN")
        let query = PostgresQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + statement(kind: kind, limit: limit)
        let lines = try await connection.query(query).map { try $0.decode(String.self, at: 0) }
        try await connection.simpleQuery("ROLLBACK")
        return lines.joined(separator: "\n")
    }

    private func statement(kind: String, limit: Int) -> PostgresQuery {
        ClaimStatement.query(kind: kind, limit: limit, maxLanes: limit, after: -1, owner: "claim-probe",
                             leaseMilliseconds: 30_000)
    }

    private static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        let connection = try await PostgresConnection.connect(configuration)
        try await connection.simpleQuery("SET jit = off")
        return connection
    }
}
