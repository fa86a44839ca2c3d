import Foundation
import Postgres

extension ReviewStore {
    /// How long the longest-waiting due customer has been due at `now`, in seconds; 0 when no one
    /// is due. The first entry of the `customers_due_for_review` index, so cheap enough to sample
    /// every few seconds on every replica.
    public func reviewLag(at now: Date, on connection: PostgresConnection) async throws -> Double {
        try await connection.query("""
            SELECT coalesce(extract(epoch FROM \(now)::timestamptz - min(next_review_at))::float8, 0)
              FROM customers
             WHERE next_review_at <= \(now) AND status <> 'closed'
            """)[0].decode(Double.self, at: 0)
    }
}
