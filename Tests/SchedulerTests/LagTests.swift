import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// The scheduler's lag (`arrears_scheduler_lag_seconds`): how long the longest-waiting due
/// customer has waited for its review.
@Suite struct LagTests {
    @Test("the lag is the longest wait of a due customer still open, and none once everyone is reviewed")
    func lagOfTheLongestWaitingDueCustomer() async throws {
        try await withTestDatabase { pool, _ in
            let store = ReviewStore()
            let lag = { (now: Date) in try await pool.withConnection { try await store.reviewLag(at: now, on: $0) } }
            let now = Date()
            #expect(try await lag(now) == 0, "no customers, no lag")

            let book = try await Book.create(pool)
            let longest = try await book.customer("C-1")
            let recent = try await book.customer("C-2")
            let later = try await book.customer("C-3")
            try await pool.query("UPDATE customers SET next_review_at = \(now.addingTimeInterval(-90)) WHERE id = \(longest)")
            try await pool.query("UPDATE customers SET next_review_at = \(now.addingTimeInterval(-5)) WHERE id = \(recent)")
            try await pool.query("UPDATE customers SET next_review_at = \(now.addingTimeInterval(3600)) WHERE id = \(later)")
            #expect(abs(try await lag(now) - 90) < 0.001)

            try await pool.query("UPDATE customers SET status = 'closed' WHERE id = \(longest)")
            #expect(abs(try await lag(now) - 5) < 0.001, "closed customers are never reviewed, so they do not count")

            _ = try await Reviews.run(pool, at: now)
            #expect(try await lag(now) == 0)
        }
    }
}
