import Dunning

/// Open receivables of one currency by days past due on the report date.
public struct AgingRow: Sendable, Hashable {
    public var currency: String
    public var current: Int64
    public var days1To30: Int64
    public var days31To60: Int64
    public var days61To90: Int64
    public var daysOver90: Int64
    public var total: Int64
    public var invoices: Int
}

/// Days sales outstanding of one currency: receivables ÷ credit sales of the period × its days.
public struct DSORow: Sendable, Hashable {
    public var currency: String
    public var receivables: Int64
    public var creditSales: Int64
    public var periodDays: Int
    /// nil when nothing was invoiced in the period.
    public var dso: Double? {
        CollectionMetrics.daysOfSales(receivables, creditSales: creditSales, periodDays: periodDays)
    }
}

public struct OverdueCustomerRow: Sendable, Hashable {
    public var customerID: Int64
    public var externalRef: String
    public var name: String
    public var currency: String
    public var overdueAmount: Int64
    public var overdueInvoices: Int
    public var oldestDaysOverdue: Int
}

/// Everything `GET /v1/reports/summary` and `arrears report` show: per currency the aging and the
/// collection measures over the period, how the period's promises turned out, and the agents' work.
public struct ReportSummary: Sendable, Hashable {
    public struct Currency: Sendable, Hashable {
        public var currency: String
        /// nil when nothing of this currency is open.
        public var aging: AgingRow?
        public var metrics: CollectionMetrics
    }

    /// Tasks of one kind finished in the period, by how they ended.
    public struct AgentTasks: Sendable, Hashable {
        public var kind: String
        public var succeeded: Int
        public var dead: Int
        public var cancelled: Int
    }

    public var asOf: CalendarDate
    public var periodDays: Int
    public var currencies: [Currency]
    public var promises: PromiseOutcomes
    public var tasks: [AgentTasks]
    public var activity: AgentActivity
}
