import Foundation
import Testing
@testable import Dunning

@Suite("Exposure")
struct ExposureTests {
    typealias F = Fixture

    @Test("overdue totals are per currency, disputed invoices and credits left out, days counted in the customer's zone")
    func totals() {
        let usd = Money(minorUnits: 10_000, currency: "USD")
        let snapshot = F.snapshot(invoices: [
            F.invoice("INV-1", due: "2025-03-01", eur: "100.00"),
            OpenInvoice(number: "INV-2", issuedOn: F.date("2025-02-01"), dueOn: F.date("2025-03-02"), openAmount: usd),
            F.invoice("INV-3", due: "2025-02-01", eur: "50.00", disputed: true),
            F.invoice("INV-4", due: "2025-03-05", eur: "25.50"),
            F.invoice("INV-5", due: "2025-03-30", eur: "10.00"),
            F.invoice("CN-1", due: "2025-01-01", eur: "-30.00"),
        ])
        let exposure = Exposure(snapshot, now: F.wednesdayMorning)
        #expect(exposure.overdueTotals == [F.eur("125.50"), usd])
        #expect(exposure.overdueCount == 3)
        #expect(exposure.oldestDaysOverdue == 11)
        #expect(exposure.disputedInvoices == ["INV-3"])
        #expect(exposure.invoices.map(\.number) == ["INV-3", "INV-1", "INV-2", "INV-4", "INV-5"])
        #expect(exposure.invoices.last?.daysOverdue == -18)

        // 23:30 UTC on 11 March is already the 12th in Tokyo.
        let tokyo = F.snapshot(F.customer(zone: TimeZone(identifier: "Asia/Tokyo")!),
                               invoices: [F.invoice("INV-1", due: "2025-03-11", eur: "1.00")])
        #expect(Exposure(tokyo, now: F.instant("2025-03-11T23:30:00Z")).oldestDaysOverdue == 1)
        #expect(Exposure(tokyo, now: F.instant("2025-03-11T14:30:00Z")).overdueCount == 0)
    }

    @Test("payment history: on-time ratio, average days late, and a worsening trend")
    func history() {
        let paid = [
            F.paid("A", due: "2024-05-01", paid: "2024-05-01"),
            F.paid("B", due: "2024-06-01", paid: "2024-06-03"),
            F.paid("C", due: "2024-07-01", paid: "2024-06-30"),
            F.paid("D", due: "2024-11-01", paid: "2024-11-21"),
            F.paid("E", due: "2025-01-01", paid: "2025-01-15"),
            F.paid("F", due: "2025-02-01", paid: "2025-02-11"),
            F.paid("old", due: "2024-01-01", paid: "2024-02-01"),
        ]
        let history = PaymentHistory(paid, today: F.date("2025-03-12"))
        #expect(history.paidCount == 6)
        #expect(history.paidOnTimeCount == 2)
        #expect(history.onTimeRatio == 2.0 / 6.0)
        #expect(history.averageDaysLate == 46.0 / 6.0)
        #expect(history.earlierAverageDaysLate == 2.0 / 3.0)
        #expect(history.recentAverageDaysLate == 44.0 / 3.0)
        #expect(history.trend == .worsening)

        let improving = PaymentHistory([
            F.paid("A", due: "2024-05-01", paid: "2024-05-21"),
            F.paid("B", due: "2024-06-01", paid: "2024-06-15"),
            F.paid("C", due: "2024-12-01", paid: "2024-12-01"),
            F.paid("D", due: "2025-02-01", paid: "2025-02-02"),
        ], today: F.date("2025-03-12"))
        #expect(improving.trend == .improving)

        let thin = PaymentHistory([F.paid("A", due: "2025-02-01", paid: "2025-03-01")], today: F.date("2025-03-12"))
        #expect(thin.trend == .stable)
        #expect(PaymentHistory([], today: F.date("2025-03-12")).onTimeRatio == nil)
    }

    @Test("a worsening payer brings the account owner in, and not again before the re-notify interval")
    func worseningPayerInvolvesOwner() {
        let paid = [
            F.paid("A", due: "2024-05-01", paid: "2024-05-01"),
            F.paid("B", due: "2024-06-01", paid: "2024-06-03"),
            F.paid("D", due: "2024-11-01", paid: "2024-11-21"),
            F.paid("E", due: "2025-01-01", paid: "2025-01-15"),
        ]
        var snapshot = F.snapshot(invoices: [F.invoice("INV-9", due: "2025-02-25", eur: "900.00")], paid: paid)
        let decision = decide(snapshot, policy: .standard, now: F.wednesdayMorning)
        #expect(decision.actions.contains(.notifyOwner(invoices: ["INV-9"])))
        #expect(decision.reasons.last
            == "account owner involved: payments are getting later: 17.0 days late on average in the last 6 months against 1.0 before")

        snapshot.activity.lastOwnerNotificationAt = F.berlinMorning("2025-03-05")
        let soonAfter = decide(snapshot, policy: .standard, now: F.wednesdayMorning)
        #expect(!soonAfter.actions.contains(.notifyOwner(invoices: ["INV-9"])))
        #expect(soonAfter.reasons.last == "account owner already told on 2025-03-05; told again from 2025-03-19 if still needed")
    }

    @Test("contact health: usable, bounced only, or none", arguments: [
        ([ContactStatus.valid], ContactHealth.valid),
        ([.unverified, .bounced], .valid),
        ([.bounced], .bouncedOnly),
        ([.bounced, .optedOut], .bouncedOnly),
        ([.optedOut], .noContact),
        ([.bounced, .proposed], .bouncedOnly),
        ([.proposed, .rejected], .noContact),
        ([], .noContact),
    ])
    func contactHealth(statuses: [ContactStatus], expected: ContactHealth) {
        let contacts = statuses.enumerated().map { Contact(address: "c\($0.offset)@x.example", status: $0.element) }
        #expect(ContactHealth(of: contacts) == expected)
    }

    @Test("addresses in a blocked domain do not count as usable")
    func blockedDomain() {
        let contacts = [Contact(address: "AP@Gov.Example", status: .valid)]
        #expect(ContactHealth(of: contacts, blockedDomains: ["gov.example"]) == .noContact)
    }

    @Test("the newest active promise counts and only its invoices are held back")
    func promiseCoverage() {
        let snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "500.00"),
                       F.invoice("INV-2", due: "2025-02-25", eur: "700.00")],
            promises: [
                PromiseToPay(promisedOn: F.date("2025-03-10"), status: .kept, resolvedOn: F.date("2025-03-10")),
                PromiseToPay(promisedOn: F.date("2025-03-20"), invoiceNumbers: ["INV-1"]),
            ])
        let exposure = Exposure(snapshot, now: F.wednesdayMorning)
        #expect(exposure.activePromise?.promisedOn == F.date("2025-03-20"))
        #expect(exposure.invoices.map(\.isPromised) == [true, false])
        #expect(decide(exposure, policy: .standard).actions
            == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-2"], optOutLineRequired: false)])
    }
}
