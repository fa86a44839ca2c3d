import Dunning
import Postgres

extension TenantStore {
    /// The summary report for the `days` days up to `asOf`. Amounts are the invoices and payments
    /// as they stand; tasks count as long as the queue keeps their history.
    public func reportSummary(asOf: CalendarDate, days: Int) async throws -> ReportSummary {
        let aging = Dictionary(uniqueKeysWithValues: try await self.aging(asOf: asOf).map { ($0.currency, $0) })
        let metrics = try await collectionMetrics(asOf: asOf, days: days)
        return ReportSummary(
            asOf: asOf, periodDays: days,
            currencies: metrics.map { ReportSummary.Currency(currency: $0.currency, aging: aging[$0.currency], metrics: $0.metrics) },
            promises: try await promiseOutcomes(asOf: asOf, days: days),
            tasks: try await agentTasks(asOf: asOf, days: days),
            activity: try await agentActivity())
    }

    private func collectionMetrics(asOf: CalendarDate, days: Int) async throws -> [(currency: String, metrics: CollectionMetrics)] {
        let end = asOf.postgres, start = asOf.adding(days: -days).postgres
        return try await query("""
            WITH book AS (
                SELECT currency,
                       COALESCE(sum(amount) FILTER (WHERE status <> 'void' AND issued_on > \(start) AND issued_on <= \(end)), 0)::bigint AS sales,
                       COALESCE(sum(open_amount) FILTER (WHERE status IN ('open', 'disputed') AND issued_on <= \(end)), 0)::bigint AS open,
                       COALESCE(sum(open_amount) FILTER (WHERE status IN ('open', 'disputed') AND issued_on <= \(end)
                                                              AND due_on >= \(end)), 0)::bigint AS current
                  FROM invoices WHERE tenant_id = \(tenantID) GROUP BY currency),
            collected AS (
                SELECT currency, sum(amount)::bigint AS amount
                  FROM payments WHERE tenant_id = \(tenantID) AND received_on > \(start) AND received_on <= \(end)
                 GROUP BY currency)
            SELECT COALESCE(b.currency, c.currency), COALESCE(b.sales, 0), COALESCE(b.open, 0), COALESCE(b.current, 0),
                   COALESCE(c.amount, 0)
              FROM book b FULL JOIN collected c ON c.currency = b.currency
             ORDER BY 1
            """).map { row in
            var reader = RowReader(row)
            let currency: String = try reader.next()
            return (currency, CollectionMetrics(periodDays: days, creditSales: try reader.next(), receivables: try reader.next(),
                                                currentReceivables: try reader.next(), collected: try reader.next()))
        }
    }

    /// Promises whose date fell in the period.
    private func promiseOutcomes(asOf: CalendarDate, days: Int) async throws -> PromiseOutcomes {
        let end = asOf.postgres, start = asOf.adding(days: -days).postgres
        let row = try await query("""
            SELECT count(*) FILTER (WHERE status = 'kept'), count(*) FILTER (WHERE status = 'broken'),
                   count(*) FILTER (WHERE status = 'active')
              FROM promises WHERE tenant_id = \(tenantID) AND promised_on > \(start) AND promised_on <= \(end)
            """)[0]
        var reader = RowReader(row)
        return PromiseOutcomes(kept: try reader.next(), broken: try reader.next(), open: try reader.next())
    }

    /// Agent tasks that finished in the period (by UTC day), per kind.
    private func agentTasks(asOf: CalendarDate, days: Int) async throws -> [ReportSummary.AgentTasks] {
        let end = asOf.postgres, start = asOf.adding(days: -days).postgres
        return try await query("""
            SELECT kind, count(*) FILTER (WHERE state = 'succeeded'), count(*) FILTER (WHERE state = 'dead'),
                   count(*) FILTER (WHERE state = 'cancelled')
              FROM task_history
             WHERE tenant_id = \(tenantID) AND (finished_at AT TIME ZONE 'UTC')::date > \(start)
               AND (finished_at AT TIME ZONE 'UTC')::date <= \(end)
             GROUP BY kind ORDER BY kind
            """).map { row in
            var reader = RowReader(row)
            return ReportSummary.AgentTasks(kind: try reader.next(), succeeded: try reader.next(), dead: try reader.next(),
                                            cancelled: try reader.next())
        }
    }
}
