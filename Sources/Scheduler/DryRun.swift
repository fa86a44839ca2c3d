import Dunning
import Foundation
import Postgres
import Store

/// What the scheduler would decide for a tenant's customers on a date — behind `arrears plan`.
/// Nothing is enqueued and nothing written: every batch is read in a READ ONLY transaction.
public struct DryRun: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unknownTenant(String)
        case unknownCustomer(String)
        case unreadablePolicy(String)

        public var description: String {
            switch self {
            case .unknownTenant(let slug): "no tenant with the slug \"\(slug)\""
            case .unknownCustomer(let reference): "the tenant has no open customer with the reference \"\(reference)\""
            case .unreadablePolicy(let problem): "the tenant's policy cannot be read: \(problem)"
            }
        }
    }

    private let pool: PostgresPool
    private let store: ReviewStore
    private let batchSize: Int

    public init(pool: PostgresPool, store: ReviewStore = ReviewStore(), batchSize: Int = 1000) {
        self.pool = pool
        self.store = store
        self.batchSize = batchSize
    }

    /// Decides for each of the tenant's customers (or the one with `customer` as reference) in reference
    /// order, handing `body` one batch at a time. Each customer is decided at the opening of its send
    /// window on `date` in its own time zone — the moment the scheduler would first act that day.
    public func decisions(
        tenant slug: String, on date: CalendarDate, customer: String? = nil, _ body: ([Decision]) throws -> Void
    ) async throws {
        let readAt = date.instant(at: TimeOfDay(hour: 12, minute: 0)!, in: TimeZone(identifier: "UTC")!)
        guard let tenantID = try await pool.withConnection({ try await store.tenantID(slug: slug, on: $0) }) else {
            throw Failure.unknownTenant(slug)
        }
        let policy: Policy
        switch try await pool.withConnection({ try await store.policies(for: [tenantID], on: $0) })[tenantID] {
        case .readable(let readable): policy = readable
        case .unreadable(let problem): throw Failure.unreadablePolicy(problem)
        case nil: policy = .standard
        }
        var after = ""
        var found = false
        while true {
            let customers = try await pool.withTransaction { connection in
                try await connection.simpleQuery("SET TRANSACTION READ ONLY")
                return try await store.customers(ofTenant: tenantID, reference: customer, afterReference: after,
                                                 limit: batchSize, now: readAt, on: connection)
            }
            guard let last = customers.last else { break }
            found = true
            after = last.snapshot.profile.reference
            try body(customers.map { customer in
                decide(customer.snapshot, policy: policy, now: Self.moment(of: date, for: customer.snapshot.profile, policy: policy))
            })
            if customers.count < batchSize { break }
        }
        if let customer, !found { throw Failure.unknownCustomer(customer) }
    }

    /// The opening of the customer's send window on `date`, in its zone: consumers' window is narrowed
    /// to the consumer contact hours, as `decide` does.
    static func moment(of date: CalendarDate, for profile: CustomerProfile, policy: Policy) -> Date {
        var window = policy.sendWindow
        if profile.isConsumer || policy.consumerMode.enabled {
            window = window.intersection(policy.consumerMode.contactWindow) ?? policy.consumerMode.contactWindow
        }
        return date.instant(at: window.start, in: profile.timeZone)
    }
}
