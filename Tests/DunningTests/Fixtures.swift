import Foundation
@testable import Dunning

/// Short builders so each scenario reads as the situation it describes.
enum Fixture {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// Wednesday 12 March 2025, 10:00 in Berlin: inside the default send window.
    static let wednesdayMorning = instant("2025-03-12T09:00:00Z")

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static func instant(_ text: String) -> Date { InstantText.parse(text)! }

    /// 09:00 in Berlin on `day` (CET; these tests stay before the clocks change on 30 March).
    static func berlinMorning(_ day: String) -> Date { instant(day + "T08:00:00Z") }

    static func eur(_ text: String) -> Money { try! Money(parsing: text, currency: "EUR", allowingNegative: true) }

    static func invoice(_ number: String, due: String, eur amount: String, disputed: Bool = false) -> OpenInvoice {
        OpenInvoice(number: number, issuedOn: date(due).adding(days: -30), dueOn: date(due),
                    openAmount: eur(amount), isDisputed: disputed)
    }

    static func paid(_ number: String, due: String, paid: String) -> PaidInvoice {
        PaidInvoice(number: number, dueOn: date(due), paidOn: date(paid))
    }

    static let workingContact = Contact(address: "ap@customer.example", status: .valid)

    static func customer(
        _ reference: String = "C-1",
        zone: TimeZone = berlin,
        keyAccount: Bool = false,
        consumer: Bool = false,
        doNotContact: Bool = false,
        pausedUntil: String? = nil,
        level: Int = 0
    ) -> CustomerProfile {
        CustomerProfile(reference: reference, timeZone: zone, isKeyAccount: keyAccount, isConsumer: consumer,
                        doNotContact: doNotContact, pausedUntil: pausedUntil.map(date), escalationLevel: level)
    }

    static func snapshot(
        _ profile: CustomerProfile = customer(),
        invoices: [OpenInvoice],
        paid: [PaidInvoice] = [],
        promises: [PromiseToPay] = [],
        contacts: [Contact] = [workingContact],
        activity: RecentActivity = RecentActivity()
    ) -> CustomerSnapshot {
        CustomerSnapshot(profile: profile, openInvoices: invoices, paidInvoices: paid, promises: promises,
                         contacts: contacts, activity: activity)
    }
}
