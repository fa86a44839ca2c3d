import Dunning
import Store

/// The summary report as JSON, the same for `GET /v1/reports/summary` and `arrears report --format json`.
extension ReportSummary: JSONRepresentable {
    /// The report as a JSON document.
    public var json: String {
        var writer = JSONWriter()
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func write(to json: inout JSONWriter) {
        json.object {
            $0.field("object", "report_summary")
            $0.field("as_of", asOf)
            $0.field("period_days", periodDays)
            $0.key("currencies")
            $0.array { array in
                for entry in currencies { Self.write(entry, to: &array) }
            }
            $0.key("promises")
            $0.object {
                $0.field("kept", promises.kept)
                $0.field("broken", promises.broken)
                $0.field("open", promises.open)
                $0.field("kept_rate", promises.keptRate)
            }
            $0.key("agents")
            $0.object {
                $0.field("reminders_sent", activity.remindersSent)
                $0.field("other_mail_sent", activity.otherMailSent)
                $0.key("replies_by_kind")
                $0.object { replies in
                    for (kind, count) in activity.repliesByKind.sorted(by: { $0.key < $1.key }) { replies.field(kind, count) }
                }
                $0.field("promises_captured", activity.promisesCaptured)
                $0.field("contacts_discovered", activity.contactsDiscovered)
                $0.field("contacts_proposed", activity.contactsProposed)
                $0.field("escalations", activity.escalations)
                $0.field("owner_notices", activity.ownerNotices)
                $0.key("tasks")
                $0.array { array in
                    for kind in tasks {
                        array.object {
                            $0.field("kind", kind.kind)
                            $0.field("succeeded", kind.succeeded)
                            $0.field("dead", kind.dead)
                            $0.field("cancelled", kind.cancelled)
                        }
                    }
                }
            }
        }
    }

    private static func write(_ entry: Currency, to json: inout JSONWriter) {
        let metrics = entry.metrics
        json.object {
            $0.field("currency", entry.currency)
            $0.field("credit_sales", metrics.creditSales)
            $0.field("collected", metrics.collected)
            $0.field("receivables", metrics.receivables)
            $0.field("current_receivables", metrics.currentReceivables)
            $0.field("overdue_receivables", metrics.overdueReceivables)
            $0.field("dso", metrics.dso)
            $0.field("best_possible_dso", metrics.bestPossibleDSO)
            $0.field("average_days_delinquent", metrics.averageDaysDelinquent)
            $0.field("collection_effectiveness_index", metrics.collectionEffectivenessIndex)
            $0.key("aging")
            $0.object { $0.agingBuckets(entry.aging) }
        }
    }
}

extension JSONWriter {
    /// The five aging buckets as fields of the object being written; all zero without a row.
    mutating func agingBuckets(_ row: AgingRow?) {
        field("current", row?.current ?? 0)
        field("days_1_30", row?.days1To30 ?? 0)
        field("days_31_60", row?.days31To60 ?? 0)
        field("days_61_90", row?.days61To90 ?? 0)
        field("days_over_90", row?.daysOver90 ?? 0)
    }
}
