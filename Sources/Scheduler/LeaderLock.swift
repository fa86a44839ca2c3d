import Postgres
import Synchronization

/// The scheduler's leadership: a session-level advisory lock on a connection of its own. The lock
/// lives exactly as long as that session, so when the leader's process or connection dies the
/// server releases it and a standby's next try takes it — no lease to expire, no clock to trust.
/// The session goes to the server directly, past any transaction-mode pooler, which would hand
/// the statements to server connections that do not hold the lock.
///
/// A leader whose host dies or is cut off sends nothing more, so both ends must notice the silence
/// themselves, within seconds rather than the operating system's hours: the server through its
/// keepalive settings for this session (it frees the lock when it drops the session), this side
/// through libpq's and a bound on the health check (the leader then stands down).
final class LeaderLock: Sendable {
    /// `pg_try_advisory_lock` key shared by every replica: "arrears" in ASCII, then 1 for the scheduler.
    static let key: Int64 = 0x6172_7265_6172_7301

    /// Probes after 2 s of silence, 2 s apart, 3 unanswered mean dead; data unacknowledged for 8 s
    /// means dead too. With standbys trying every 2 s, one leads within about 10 s of the end.
    static let keepalives = ["keepalives": "1", "keepalives_idle": "2", "keepalives_interval": "2",
                             "keepalives_count": "3", "tcp_user_timeout": "8000"]
    /// The server's side of the same, for this session only (where its configuration leaves the default).
    static let serverKeepalives = ["tcp_keepalives_idle": "2", "tcp_keepalives_interval": "2",
                                   "tcp_keepalives_count": "3", "tcp_user_timeout": "8000"]
    /// Longest a health check may take: a leader that cannot get an answer in time stands down.
    static let checkTimeout: Duration = .seconds(5)

    let configuration: PostgresConfiguration
    private let session = Mutex<PostgresConnection?>(nil)

    /// `applicationName` names the session in `pg_stat_activity`.
    init(configuration: PostgresConfiguration, applicationName: String) {
        var own = configuration.direct
        own.applicationName = applicationName
        // A session holding a lock must not be one a pooler could swap out from under it.
        own.usePreparedStatements = false
        // Where the operator's connection string sets its own, it wins.
        own.fallbackParameters.merge(Self.keepalives) { current, _ in current }
        self.configuration = own
    }

    /// Takes the lock if no other session holds it. Connection failures count as not taking it.
    func tryAcquire() async -> Bool {
        do {
            let connection = try await connected()
            let taken = try await Self.answer(within: Self.checkTimeout) {
                try await connection.query("SELECT pg_try_advisory_lock(\(Self.key))")[0].decode(Bool.self, at: 0)
            }
            return taken
        } catch {
            drop()
            return false
        }
    }

    /// Whether the session that took the lock is still alive (and so still holds it).
    func isHeld() async -> Bool {
        guard let connection = session.withLock({ $0 }) else { return false }
        do {
            try await Self.answer(within: Self.checkTimeout) { try await connection.query("SELECT 1") }
            return true
        } catch {
            drop()
            return false
        }
    }

    /// Sets the server's keepalives for this session where the server's configuration and the
    /// connection string left them at their defaults.
    static func limitSilence(on connection: PostgresConnection) async throws {
        let names = serverKeepalives.keys.sorted()
        try await connection.query("""
            SELECT set_config(wanted.name, wanted.value, false)
              FROM unnest(\(names), \(names.map { serverKeepalives[$0]! })) AS wanted(name, value)
              JOIN pg_settings AS s ON s.name = wanted.name
             WHERE s.source = 'default'
            """)
    }

    /// `body`'s result, or `LockCheckTimedOut` after `limit`. libpq's call cannot be interrupted, so
    /// it is left to finish on its own (its connection's keepalives end it if the server is gone).
    @discardableResult
    static func answer<Value: Sendable>(within limit: Duration,
                                        _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let first = FirstAnswer(continuation)
            let timer = Task {
                try await Task.sleep(for: limit)
                first.resume(with: .failure(LockCheckTimedOut()))
            }
            Task {
                do {
                    first.resume(with: .success(try await body()))
                } catch {
                    first.resume(with: .failure(error))
                }
                timer.cancel()
            }
        }
    }

    /// Gives the lock up at once (on shutdown), so a standby need not wait for the session to end.
    func release() async {
        if let connection = session.withLock({ $0 }) {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.key))")
        }
        drop()
    }

    private func connected() async throws -> PostgresConnection {
        if let connection = session.withLock({ $0 }) { return connection }
        let connection = try await PostgresConnection.connect(configuration)
        try await Self.answer(within: Self.checkTimeout) { try await Self.limitSilence(on: connection) }
        session.withLock { $0 = connection }
        return connection
    }

    /// The connection closes when its last reference goes.
    private func drop() {
        session.withLock { $0 = nil }
    }
}

/// A health check of the lock's session that got no answer in time.
struct LockCheckTimedOut: Error {}

/// Resumes a continuation with whichever result comes first.
private final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, any Error>?>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<Value, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
