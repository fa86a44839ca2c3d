import Postgres

/// Cursor pagination: objects after `startingAfter` (an id) in the list's order, at most `limit`.
public struct PageRequest: Sendable {
    public var limit: Int
    public var startingAfter: Int64?

    public static let maximumLimit = 100
    public static let defaultLimit = 20

    public init(limit: Int = PageRequest.defaultLimit, startingAfter: Int64? = nil) {
        self.limit = limit
        self.startingAfter = startingAfter
    }
}

public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Whether a request starting after the last item would return more.
    public var hasMore: Bool

    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }

    /// Builds a page from `limit + 1` fetched rows: the extra one only says there is more.
    init(fetched: [Item], limit: Int) {
        hasMore = fetched.count > limit
        items = hasMore ? Array(fetched.prefix(limit)) : fetched
    }
}

extension PostgresQuery {
    /// Appends the cursor, the order by id and a limit one past the page (to learn `hasMore`).
    /// Newest-first lists walk ids downwards.
    mutating func appendPage(_ page: PageRequest, newestFirst: Bool = false, idColumn: String = "id") {
        if let after = page.startingAfter {
            append(newestFirst ? " AND \(unescaped: idColumn) < \(after)" : " AND \(unescaped: idColumn) > \(after)")
        }
        append(" ORDER BY \(unescaped: idColumn)\(unescaped: newestFirst ? " DESC" : "") LIMIT \(page.limit + 1)")
    }
}
