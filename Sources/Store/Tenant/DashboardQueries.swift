import Dunning
import Postgres

/// A promise falling due, with whose it is.
public struct DuePromise: Sendable, Hashable {
    public var promise: Promise
    public var customerName: String
    public var customerRef: String
}

extension TenantStore {
    /// Active promises whose date is between `from` and `through`, soonest first.
    public func promisesDue(from: CalendarDate, through: CalendarDate, limit: Int) async throws -> [DuePromise] {
        try await query("""
            SELECT \(unescaped: Promise.columns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                   c.name, c.external_ref
              FROM promises p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
             WHERE p.tenant_id = \(tenantID) AND p.status = 'active'
               AND p.promised_on >= \(from.postgres) AND p.promised_on <= \(through.postgres)
             ORDER BY p.promised_on, p.id LIMIT \(limit)
            """).map { row in
            var reader = RowReader(row)
            return DuePromise(promise: try Promise(&reader), customerName: try reader.next(), customerRef: try reader.next())
        }
    }
}
