import Synchronization

/// A bounded set of connections shared by the whole process. A connection is checked before it
/// is handed out again, so after a server restart stale connections are dropped and replaced
/// instead of failing the next caller.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let state = Mutex(State())
    private let metrics: PoolMetrics

    private struct State: ~Copyable {
        var idle: [PostgresConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<Lease, any Error>] = []
        var closed = false

        func record(_ metrics: PoolMetrics) {
            metrics.record(open: open, idle: idle.count, waiting: waiters.count)
        }
    }

    /// What a caller gets from the pool: a live connection, or the right to open one.
    private enum Lease: Sendable {
        case connection(PostgresConnection)
        case slot
    }

    public init(configuration: PostgresConfiguration) {
        self.configuration = configuration
        metrics = PoolMetrics(configuration: configuration)
    }

    public func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    /// Connections currently open and idle, for metrics.
    public var usage: (open: Int, idle: Int, waiting: Int) {
        state.withLock { ($0.open, $0.idle.count, $0.waiters.count) }
    }

    /// Closes idle connections and refuses new work; connections in use close when returned.
    public func close() {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            state.open -= state.idle.count
            metrics.record(open: state.open, idle: 0, waiting: 0)
            return (state.idle, state.waiters)
        }
        idle.forEach { $0.close() }
        waiters.forEach { $0.resume(throwing: PostgresError.connection("pool is closed")) }
    }

    private func acquire() async throws -> PostgresConnection {
        while true {
            let lease: Lease = try await withCheckedThrowingContinuation { continuation in
                state.withLock { state in
                    if state.closed {
                        continuation.resume(throwing: PostgresError.connection("pool is closed"))
                    } else if let connection = state.idle.popLast() {
                        continuation.resume(returning: .connection(connection))
                    } else if state.open < configuration.maxConnections {
                        state.open += 1
                        continuation.resume(returning: .slot)
                    } else {
                        state.waiters.append(continuation)
                    }
                    state.record(metrics)
                }
            }
            switch lease {
            case .connection(let connection):
                if connection.isReusable { return connection }
                discard(connection)
            case .slot:
                do {
                    return try await PostgresConnection.connect(configuration)
                } catch {
                    giveUpSlot()
                    throw error
                }
            }
        }
    }

    private func release(_ connection: PostgresConnection) {
        guard connection.isReusable else {
            discard(connection)
            return
        }
        let handedOver: Bool = state.withLock { state in
            if state.closed { return false }
            if !state.waiters.isEmpty {
                state.waiters.removeFirst().resume(returning: .connection(connection))
            } else {
                state.idle.append(connection)
            }
            state.record(metrics)
            return true
        }
        if !handedOver { discard(connection) }
    }

    private func discard(_ connection: PostgresConnection) {
        connection.close()
        giveUpSlot()
    }

    /// A slot freed by a closed connection goes to the first waiter, who opens a new one.
    private func giveUpSlot() {
        state.withLock { state in
            if !state.closed, !state.waiters.isEmpty {
                state.waiters.removeFirst().resume(returning: .slot)
            } else {
                state.open -= 1
            }
            state.record(metrics)
        }
    }
}
