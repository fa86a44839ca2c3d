import Postgres
import Synchronization

/// The scheduler's leadership: a session-level advisory lock on a connection of its own. The lock
/// lives exactly as long as that session, so when the leader's process or connection dies the
/// server releases it and a standby's next try takes it — no lease to expire, no clock to trust.
/// The session goes to the server directly, past any transaction-mode pooler, which would hand
/// the statements to server connections that do not hold the lock.
final class LeaderLock: Sendable {
    /// `pg_try_advisory_lock` key shared by every replica: "arrears" in ASCII, then 1 for the scheduler.
    static let key: Int64 = 0x6172_7265_6172_7301

    private let configuration: PostgresConfiguration
    private let session = Mutex<PostgresConnection?>(nil)

    /// `applicationName` names the session in `pg_stat_activity`.
    init(configuration: PostgresConfiguration, applicationName: String) {
        var own = configuration.direct
        own.applicationName = applicationName
        // A session holding a lock must not be one a pooler could swap out from under it.
        own.usePreparedStatements = false
        self.configuration = own
    }

    /// Takes the lock if no other session holds it. Connection failures count as not taking it.
    func tryAcquire() async -> Bool {
        do {
            let connection = try await connected()
            let taken = try await connection.query("SELECT pg_try_advisory_lock(\(Self.key))")[0].decode(Bool.self, at: 0)
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
            try await connection.query("SELECT 1")
            return true
        } catch {
            drop()
            return false
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
        session.withLock { $0 = connection }
        return connection
    }

    /// The connection closes when its last reference goes.
    private func drop() {
        session.withLock { $0 = nil }
    }
}
