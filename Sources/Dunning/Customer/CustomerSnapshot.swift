import Foundation

/// Everything the scheduler loads about one customer for a review; plain values, no I/O.
public struct CustomerSnapshot: Hashable, Sendable {
    public var profile: CustomerProfile
    public var openInvoices: [OpenInvoice]
    /// Invoices settled in roughly the last 12 months; older ones are ignored.
    public var paidInvoices: [PaidInvoice]
    public var promises: [PromiseToPay]
    public var contacts: [Contact]
    public var activity: RecentActivity

    public init(
        profile: CustomerProfile,
        openInvoices: [OpenInvoice] = [],
        paidInvoices: [PaidInvoice] = [],
        promises: [PromiseToPay] = [],
        contacts: [Contact] = [],
        activity: RecentActivity = RecentActivity()
    ) {
        self.profile = profile
        self.openInvoices = openInvoices
        self.paidInvoices = paidInvoices
        self.promises = promises
        self.contacts = contacts
        self.activity = activity
    }
}
