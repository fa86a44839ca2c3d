import Dunning
import Foundation
import Store

extension AdminAPI {
    /// Reports are computed on request from the invoices as they stand; `as_of` (default: today
    /// in the tenant's time zone) moves the day that ages are counted from.
    var reportEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/reports/aging", .tenantRead) { call in
                var query = call.query
                let asOf = query.date("as_of") ?? Self.today(in: call.principal.tenantTimeZone)
                try query.finish()
                let rows = try await inTenant(call) { try await $0.aging(asOf: asOf) }
                return .json { json in
                    json.object {
                        $0.field("object", "aging_report")
                        $0.field("as_of", asOf)
                        $0.key("currencies")
                        $0.array { array in
                            for row in rows {
                                array.object {
                                    $0.field("currency", row.currency)
                                    $0.agingBuckets(row)
                                    $0.field("total", row.total)
                                    $0.field("invoices", row.invoices)
                                }
                            }
                        }
                    }
                }
            },
            Endpoint(.get, "/v1/reports/dso", .tenantRead) { call in
                var query = call.query
                let asOf = query.date("as_of") ?? Self.today(in: call.principal.tenantTimeZone)
                let days = query.integer("period_days", minimum: 1, maximum: 3660).map(Int.init) ?? 90
                try query.finish()
                let rows = try await inTenant(call) { try await $0.daysSalesOutstanding(asOf: asOf, days: days) }
                return .json { json in
                    json.object {
                        $0.field("object", "dso_report")
                        $0.field("as_of", asOf)
                        $0.field("period_days", days)
                        $0.key("currencies")
                        $0.array { array in
                            for row in rows {
                                array.object {
                                    $0.field("currency", row.currency)
                                    $0.field("receivables", row.receivables)
                                    $0.field("credit_sales", row.creditSales)
                                    $0.field("dso", row.dso)
                                }
                            }
                        }
                    }
                }
            },
            Endpoint(.get, "/v1/reports/summary", .tenantRead) { call in
                var query = call.query
                let asOf = query.date("as_of") ?? Self.today(in: call.principal.tenantTimeZone)
                let days = query.integer("period_days", minimum: 1, maximum: 3660).map(Int.init) ?? 90
                try query.finish()
                return .json(try await inTenant(call) { try await $0.reportSummary(asOf: asOf, days: days) })
            },
            Endpoint(.get, "/v1/reports/overdue-customers", .tenantRead) { call in
                var query = call.query
                let asOf = query.date("as_of") ?? Self.today(in: call.principal.tenantTimeZone)
                let currency = query.string("currency", rule: FieldRules.currency)
                let limit = query.integer("limit", minimum: 1, maximum: 1000).map(Int.init) ?? 100
                try query.finish()
                let rows = try await inTenant(call) { try await $0.overdueCustomers(asOf: asOf, currency: currency, limit: limit) }
                return .json { json in
                    json.object {
                        $0.field("object", "overdue_customers_report")
                        $0.field("as_of", asOf)
                        $0.key("data")
                        $0.array { array in
                            for row in rows {
                                array.object {
                                    $0.field("customer_id", row.customerID)
                                    $0.field("external_ref", row.externalRef)
                                    $0.field("name", row.name)
                                    $0.field("currency", row.currency)
                                    $0.field("overdue_amount", row.overdueAmount)
                                    $0.field("overdue_invoices", row.overdueInvoices)
                                    $0.field("oldest_days_overdue", row.oldestDaysOverdue)
                                }
                            }
                        }
                    }
                }
            },
        ]
    }

    /// The calendar date now in a time zone (UTC when the name is unknown).
    static func today(in timeZone: String, now: Date = Date()) -> CalendarDate {
        let zone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let local = Int(now.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: now)
        return CalendarDate(daysSinceEpoch: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }
}
