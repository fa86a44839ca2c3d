import Postgres
import Synchronization

/// A connection of the worker's own, outside the handlers' pool, used by one loop at a time.
/// JIT compilation is off in its session: the claim's per-lane LIMIT is unknown to the planner,
/// which then estimates a cost high enough to JIT-compile a statement that runs in a
/// millisecond, for hundreds of milliseconds. After a connection failure the next query
/// connects afresh, so a Postgres restart costs the loop one failed statement.
final class SessionConnection: Sendable {
    private let configuration: PostgresConfiguration
    private let current = Mutex<PostgresConnection?>(nil)

    init(configuration: PostgresConfiguration) {
        self.configuration = configuration
    }

    @discardableResult
    func query(_ query: PostgresQuery) async throws -> PostgresRows {
        let connection = try await connected()
        do {
            return try await connection.query(query)
        } catch let error as PostgresError where error.isConnectionFailure {
            current.withLock { $0 = nil }
            throw error
        }
    }

    /// Runs SQL without parameters, outside any transaction (VACUUM cannot be prepared).
    func simpleQuery(_ sql: String) async throws {
        let connection = try await connected()
        do {
            try await connection.simpleQuery(sql)
        } catch let error as PostgresError where error.isConnectionFailure {
            current.withLock { $0 = nil }
            throw error
        }
    }

    private func connected() async throws -> PostgresConnection {
        if let connection = current.withLock({ $0 }) { return connection }
        let connection = try await PostgresConnection.connect(configuration)
        try await connection.simpleQuery("SET jit = off")
        current.withLock { $0 = connection }
        return connection
    }
}
