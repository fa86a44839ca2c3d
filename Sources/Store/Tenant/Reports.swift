import Dunning
import Postgres

extension TenantStore {
    /// Open receivables (open and disputed invoices) per currency, by days past due on `asOf`.
    public func aging(asOf: CalendarDate) async throws -> [AgingRow] {
        let day = asOf.postgres
        return try await query("""
            SELECT currency,
                   COALESCE(sum(open_amount) FILTER (WHERE due_on >= \(day)), 0),
                   COALESCE(sum(open_amount) FILTER (WHERE \(day) - due_on BETWEEN 1 AND 30), 0),
                   COALESCE(sum(open_amount) FILTER (WHERE \(day) - due_on BETWEEN 31 AND 60), 0),
                   COALESCE(sum(open_amount) FILTER (WHERE \(day) - due_on BETWEEN 61 AND 90), 0),
                   COALESCE(sum(open_amount) FILTER (WHERE \(day) - due_on > 90), 0),
                   sum(open_amount), count(*)
              FROM invoices
             WHERE tenant_id = \(tenantID) AND open_amount > 0 AND status IN ('open', 'disputed')
             GROUP BY currency ORDER BY currency
            """).map { row in
            var reader = RowReader(row)
            return AgingRow(currency: try reader.next(), current: try reader.next(), days1To30: try reader.next(),
                            days31To60: try reader.next(), days61To90: try reader.next(), daysOver90: try reader.next(),
                            total: try reader.next(), invoices: try reader.next())
        }
    }

    /// Receivables now against what was invoiced in the `days` days up to `asOf`, per currency.
    public func daysSalesOutstanding(asOf: CalendarDate, days: Int) async throws -> [DSORow] {
        let end = asOf.postgres, start = asOf.adding(days: -days).postgres
        return try await query("""
            SELECT currency,
                   COALESCE(sum(open_amount) FILTER (WHERE status IN ('open', 'disputed') AND issued_on <= \(end)), 0),
                   COALESCE(sum(amount) FILTER (WHERE status <> 'void' AND issued_on > \(start) AND issued_on <= \(end)), 0)
              FROM invoices
             WHERE tenant_id = \(tenantID)
             GROUP BY currency ORDER BY currency
            """).map { row in
            var reader = RowReader(row)
            return DSORow(currency: try reader.next(), receivables: try reader.next(), creditSales: try reader.next(), periodDays: days)
        }
    }

    /// Customers with overdue, undisputed open invoices on `asOf`, largest overdue amount first.
    public func overdueCustomers(asOf: CalendarDate, currency: String?, limit: Int) async throws -> [OverdueCustomerRow] {
        let day = asOf.postgres
        var sql: PostgresQuery = """
            SELECT c.id, c.external_ref, c.name, i.currency, sum(i.open_amount), count(*), max(\(day) - i.due_on)
              FROM invoices i JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
             WHERE i.tenant_id = \(tenantID) AND c.tenant_id = \(tenantID) AND i.open_amount > 0 AND i.status = 'open'
               AND i.due_on < \(day)
            """
        if let currency { sql.append(" AND i.currency = \(currency)") }
        sql.append(" GROUP BY c.id, c.external_ref, c.name, i.currency ORDER BY sum(i.open_amount) DESC, c.id, i.currency LIMIT \(limit)")
        return try await query(sql).map { row in
            var reader = RowReader(row)
            return OverdueCustomerRow(customerID: try reader.next(), externalRef: try reader.next(), name: try reader.next(),
                                      currency: try reader.next(), overdueAmount: try reader.next(),
                                      overdueInvoices: try reader.next(), oldestDaysOverdue: try reader.next())
        }
    }
}
