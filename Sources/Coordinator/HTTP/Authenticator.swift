import Crypto
import Foundation
import Store
import Synchronization

/// Turns a bearer key into a tenant principal. A verified key is remembered for a few seconds
/// so a busy client costs one lookup per interval rather than one per request; revoking a key
/// or suspending a tenant through this process forgets at once, other replicas within `ttl`.
final class Authenticator: Sendable {
    private let store: Store
    private let ttl: Duration
    private let operatorKeyHash: Data?
    private let cache = Mutex<[Data: Entry]>([:])

    private struct Entry {
        var principal: TenantPrincipal
        var expires: ContinuousClock.Instant
        var touched: ContinuousClock.Instant
    }

    init(store: Store, operatorKey: String?, ttl: Duration = .seconds(5)) {
        self.store = store
        self.ttl = ttl
        operatorKeyHash = operatorKey.flatMap { $0.isEmpty ? nil : Self.hash($0) }
    }

    var operatorKeyConfigured: Bool { operatorKeyHash != nil }

    private static func hash(_ text: String) -> Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }

    func isOperator(_ presented: String) -> Bool {
        guard let operatorKeyHash else { return false }
        return constantTimeEqual(operatorKeyHash, Self.hash(presented))
    }

    func principal(for presented: String) async throws -> TenantPrincipal? {
        let digest = Self.hash(presented)
        let now = ContinuousClock.now
        if let entry = cache.withLock({ $0[digest] }), entry.expires > now { return entry.principal }
        guard let principal = try await store.authenticate(key: presented) else {
            cache.withLock { _ = $0.removeValue(forKey: digest) }
            return nil
        }
        let touch = cache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll() }
            let lastTouched = cache[digest]?.touched
            let due = lastTouched.map { now - $0 >= Self.touchInterval } ?? true
            cache[digest] = Entry(principal: principal, expires: now + ttl, touched: due ? now : lastTouched!)
            return due
        }
        // last_used_at is for people, to the minute: recorded off the request's path, and not
        // by every request that finds the cached entry expired at the same moment.
        if touch {
            let store = store
            Task { try? await store.touchKey(keyID: principal.keyID, tenantID: principal.tenantID) }
        }
        return principal
    }

    private static let touchInterval: Duration = .seconds(60)

    /// Forgets every remembered key of the tenant (after a revocation or a status change).
    func forget(tenantID: Int64) {
        cache.withLock { cache in
            cache = cache.filter { $0.value.principal.tenantID != tenantID }
        }
    }
}
