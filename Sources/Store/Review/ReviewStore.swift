import Dunning
import Foundation
import Postgres
import Synchronization

/// The scheduler's SQL: finding customers due for review, claiming and loading a batch of them
/// set-based (a handful of statements per batch, never one per customer), and writing back what was
/// decided. Runs as the schema owner across tenants; every statement names the tenant explicitly.
public final class ReviewStore: Sendable {
    private let zones = Mutex<[String: TimeZone]>([:])
    private let policyCache = PolicyCache()

    public init() {}

    /// Customers whose review is due at `now`, longest waiting first, read through the
    /// `customers_due_for_review` index without locking: candidates for `claim`. Reading a long list
    /// once and claiming it in batches keeps the index scan off every batch's path.
    public func dueCustomers(at now: Date, limit: Int, on connection: PostgresConnection) async throws -> [CustomerKey] {
        try await connection.query("""
            SELECT tenant_id, id FROM customers
             WHERE next_review_at <= \(now) AND status <> 'closed'
             ORDER BY next_review_at
             LIMIT \(limit)
            """).map { row in
            let (tenant, customer) = try row.decode((Int64, Int64).self)
            return CustomerKey(tenantID: tenant, customerID: customer)
        }
    }

    /// Locks those of `candidates` still due at `now` that no other reviewer holds, until the
    /// surrounding transaction ends (`FOR NO KEY UPDATE SKIP LOCKED`: two schedulers never review one
    /// customer and neither waits for the other; the weakest lock that does it, so foreign-key checks
    /// of rows inserted for the customer meanwhile do not wait for it), and loads them. Call inside a
    /// transaction.
    public func claim(_ candidates: [CustomerKey], dueAt now: Date, on connection: PostgresConnection) async throws -> [CustomerUnderReview] {
        guard !candidates.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.customerColumns)
              FROM customers AS c
              JOIN unnest(\(candidates.map { $0.tenantID }), \(candidates.map { $0.customerID })) AS k(tenant_id, id)
                ON c.tenant_id = k.tenant_id AND c.id = k.id
             WHERE c.next_review_at <= \(now) AND c.status <> 'closed'
               FOR NO KEY UPDATE OF c SKIP LOCKED
            """)
        return try await load(rows, now: now, on: connection)
    }

    /// One tenant's open customers (all of them, or the one with `reference`) in reference order,
    /// `limit` at a time after `afterReference`, without locking: what a dry run decides for.
    public func customers(
        ofTenant tenantID: Int64, reference: String? = nil, afterReference: String = "", limit: Int, now: Date,
        on connection: PostgresConnection
    ) async throws -> [CustomerUnderReview] {
        var query: PostgresQuery = """
            SELECT \(unescaped: Self.customerColumns)
              FROM customers AS c
             WHERE c.tenant_id = \(tenantID) AND c.status <> 'closed' AND c.external_ref > \(afterReference)
            """
        if let reference { query.append(" AND c.external_ref = \(reference)") }
        query.append(" ORDER BY c.external_ref LIMIT \(limit)")
        let rows = try await connection.query(query)
        return try await load(rows, now: now, on: connection)
    }

    /// The tenant's id, or nil when no tenant has that slug.
    public func tenantID(slug: String, on connection: PostgresConnection) async throws -> Int64? {
        try await connection.query("SELECT id FROM tenants WHERE slug = \(slug)").first?.decode(Int64.self, at: 0)
    }

    /// Each tenant's policy: its stored document, or `Policy.standard` when it has none.
    public func policies(for tenantIDs: [Int64], on connection: PostgresConnection) async throws -> [Int64: TenantPolicy] {
        try await policyCache.policies(for: tenantIDs, on: connection)
    }

    static let customerColumns = """
        c.tenant_id, c.id, c.external_ref, c.time_zone, c.is_key_account, c.is_consumer, c.status,
        c.paused_until - DATE '1970-01-01', c.owner_handling_until - DATE '1970-01-01', c.escalation_level,
        c.last_outreach_at, c.last_outreach_stage, c.reminders_without_reply, c.last_contact_discovery_at,
        c.last_owner_notification_at, c.account_owner_email
        """

    /// IANA zones by name; building one reads the system's zone files. An unknown name counts as UTC
    /// rather than stopping the review of everyone else.
    func timeZone(named name: String) -> TimeZone {
        if let known = zones.withLock({ $0[name] }) { return known }
        let zone = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!
        zones.withLock { $0[name] = zone }
        return zone
    }
}
