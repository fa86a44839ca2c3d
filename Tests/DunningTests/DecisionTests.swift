import Foundation
import Testing
@testable import Dunning

@Suite("Decisions")
struct DecisionTests {
    typealias F = Fixture

    @Test("five invoices paid on time and one small 120-day-old invoice: a gentle reminder, never escalation")
    func goodPayerWithSmallOldInvoice() {
        let paid = [
            F.paid("INV-1", due: "2024-04-10", paid: "2024-04-08"),
            F.paid("INV-2", due: "2024-06-10", paid: "2024-06-10"),
            F.paid("INV-3", due: "2024-08-10", paid: "2024-08-01"),
            F.paid("INV-4", due: "2024-10-10", paid: "2024-10-09"),
            F.paid("INV-5", due: "2024-12-10", paid: "2024-12-05"),
        ]
        let snapshot = F.snapshot(invoices: [F.invoice("INV-6", due: "2024-11-12", eur: "120.00")], paid: paid)

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [.outreach(stage: "reminder", tone: .friendly, invoices: ["INV-6"], optOutLineRequired: false)],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "1 invoice overdue totalling EUR 120.00, 120 days overdue",
                "EUR 120.00 overdue is within the small-balance tolerance of EUR 150.00 "
                    + "(3× for a good payment history): a gentle reminder at most, no escalation",
                "reminder at stage reminder (friendly tone) for INV-6; oldest 120 days overdue",
            ]))

        var remindedRecently = snapshot
        remindedRecently.activity.lastOutreach = PastOutreach(sentAt: F.berlinMorning("2025-03-02"), stage: "reminder")
        #expect(decide(remindedRecently, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "1 invoice overdue totalling EUR 120.00, 120 days overdue",
                "EUR 120.00 overdue is within the small-balance tolerance of EUR 150.00 "
                    + "(3× for a good payment history): a gentle reminder at most, no escalation",
                "last reminder (stage reminder) went out 10 days ago: the next one is due on 2025-04-01",
            ]))
    }

    @Test("a promise to pay next week: no reminders until the promised date and its grace, then verification")
    func promiseNextWeek() {
        let snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-10", eur: "1200.00"),
                       F.invoice("INV-2", due: "2025-02-25", eur: "800.00")],
            promises: [PromiseToPay(promisedOn: F.date("2025-03-17"), amount: F.eur("2000.00"))],
            activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-03-03"), stage: "firm")))

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "2 invoices overdue totalling EUR 2,000.00, oldest 30 days",
                "promise to pay EUR 2,000.00 by 2025-03-17: no reminders about it until it is checked on 2025-03-19",
            ]))

        // On the promised date itself the grace days still hold reminders back.
        let onPromisedDate = decide(snapshot, policy: .standard, now: F.berlinMorning("2025-03-17"))
        #expect(onPromisedDate.actions.isEmpty)
        #expect(onPromisedDate.nextReviewOn == F.date("2025-03-19"))

        #expect(decide(snapshot, policy: .standard, now: F.berlinMorning("2025-03-19")) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [.promiseVerification(invoices: ["INV-1", "INV-2"])],
            nextReviewAt: F.berlinMorning("2025-03-20"),
            nextReviewOn: F.date("2025-03-20"),
            reasons: [
                "2 invoices overdue totalling EUR 2,000.00, oldest 37 days",
                "promise to pay EUR 2,000.00 by 2025-03-17 is due for checking after 2 days of grace",
            ]))
    }

    @Test("a broken promise: reminders resume one stage firmer, the level rises and the owner hears, once")
    func brokenPromise() {
        var snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "1500.00")],
            promises: [PromiseToPay(promisedOn: F.date("2025-03-03"), status: .broken, resolvedOn: F.date("2025-03-05"))],
            activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-02-28"), stage: "firm")))

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 1,
            actions: [
                .outreach(stage: "final", tone: .urgent, invoices: ["INV-1"], optOutLineRequired: false),
                .escalation(level: 1, invoices: ["INV-1"]),
                .notifyOwner(invoices: ["INV-1"]),
            ],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "1 invoice overdue totalling EUR 1,500.00, 20 days overdue",
                "promise to pay by 2025-03-03 was broken on 2025-03-05: escalation level raised by 1",
                "escalation level raised from 0 to 1",
                "promise to pay by 2025-03-03 was broken: reminders resume at stage final",
                "reminder at stage final (urgent tone) for INV-1; oldest 20 days overdue",
                "account owner involved: promise to pay by 2025-03-03 was broken",
            ]))

        // A week later, with all that done, the stage stays firmer but nothing climbs again.
        snapshot.profile.escalationLevel = 1
        snapshot.activity = RecentActivity(
            lastOutreach: PastOutreach(sentAt: F.wednesdayMorning, stage: "final"),
            lastOwnerNotificationAt: F.wednesdayMorning)
        let weekLater = decide(snapshot, policy: .standard, now: F.berlinMorning("2025-03-19"))
        #expect(weekLater.escalationLevel == 1)
        #expect(weekLater.actions == [.outreach(stage: "final", tone: .urgent, invoices: ["INV-1"], optOutLineRequired: false)])
    }

    @Test("one invoice disputed and two overdue: the reminder covers only the two")
    func disputedInvoiceExcluded() {
        let snapshot = F.snapshot(invoices: [
            F.invoice("INV-1", due: "2025-02-10", eur: "3000.00", disputed: true),
            F.invoice("INV-2", due: "2025-02-20", eur: "400.00"),
            F.invoice("INV-3", due: "2025-02-25", eur: "600.00"),
        ])

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [.outreach(stage: "firm", tone: .firm, invoices: ["INV-2", "INV-3"], optOutLineRequired: false)],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "2 invoices overdue totalling EUR 1,000.00, oldest 20 days",
                "INV-1 is disputed and excluded from chasing",
                "reminder at stage firm (firm tone) for INV-2 and INV-3; oldest 20 days overdue",
            ]))
    }

    @Test("the only contact bounced: contact discovery first, nothing to the dead address")
    func bouncedContact() {
        var snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")],
            contacts: [Contact(address: "ap@customer.example", status: .bounced)])

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [.contactDiscovery(invoices: ["INV-1"])],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "1 invoice overdue totalling EUR 800.00, 20 days overdue",
                "the only contact, ap@customer.example, bounced; nothing is sent to a dead address: "
                    + "looking for a new contact before any outreach",
            ]))

        // A search two days ago found nothing yet: wait for the retry date rather than search every day.
        snapshot.activity.lastContactDiscoveryAt = F.berlinMorning("2025-03-10")
        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [],
            nextReviewAt: F.berlinMorning("2025-03-17"),
            nextReviewOn: F.date("2025-03-17"),
            reasons: [
                "1 invoice overdue totalling EUR 800.00, 20 days overdue",
                "the only contact, ap@customer.example, bounced; nothing is sent to a dead address: "
                    + "a new contact was looked for on 2025-03-10; looking again on 2025-03-17",
            ]))
    }

    @Test("reminders without a reply trigger contact discovery besides the reminder")
    func silence() {
        let snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")],
            activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-03-03"), stage: "firm"),
                                     remindersWithoutReply: 3))
        let decision = decide(snapshot, policy: .standard, now: F.wednesdayMorning)
        #expect(decision.actions == [
            .outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: false),
            .contactDiscovery(invoices: ["INV-1"]),
        ])
        #expect(decision.reasons.contains("3 reminders without a reply: looking for a better contact"))
    }

    @Test("a key account with a large total: the owner is involved at the firm stage, before the final one")
    func keyAccountLargeTotal() {
        let snapshot = F.snapshot(F.customer(keyAccount: true), invoices: [
            F.invoice("INV-1", due: "2025-02-20", eur: "10000.00"),
            F.invoice("INV-2", due: "2025-02-25", eur: "12000.00"),
            F.invoice("INV-3", due: "2025-03-01", eur: "8000.00"),
        ])

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 2,
            actions: [
                .outreach(stage: "firm", tone: .firm, invoices: ["INV-1", "INV-2", "INV-3"], optOutLineRequired: false),
                .escalation(level: 2, invoices: ["INV-1", "INV-2", "INV-3"]),
                .notifyOwner(invoices: ["INV-1", "INV-2", "INV-3"]),
            ],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "3 invoices overdue totalling EUR 30,000.00, oldest 20 days",
                "total overdue EUR 30,000.00 reached the level 2 threshold of EUR 20,000.00",
                "escalation level raised from 0 to 2",
                "reminder at stage firm (firm tone) for INV-1, INV-2 and INV-3; oldest 20 days overdue",
                "account owner involved: key account with EUR 30,000.00 overdue (threshold EUR 10,000.00)",
            ]))
    }

    @Test("a key account reaching the final stage: the owner hears first and the final reminder waits")
    func keyAccountFinalStageWaitsForOwner() {
        var snapshot = F.snapshot(
            F.customer(keyAccount: true),
            invoices: [F.invoice("INV-1", due: "2025-02-08", eur: "4000.00")],
            activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-03-04"), stage: "firm")))

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [
                .outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: false),
                .notifyOwner(invoices: ["INV-1"]),
            ],
            nextReviewAt: F.berlinMorning("2025-03-17"),
            nextReviewOn: F.date("2025-03-17"),
            reasons: [
                "1 invoice overdue totalling EUR 4,000.00, 32 days overdue",
                "key account: stage final held until 2025-03-15 so the account owner is involved first",
                "reminder at stage firm (firm tone) for INV-1; oldest 32 days overdue",
                "account owner involved: key account reached stage final; the owner hears before the customer does",
            ]))

        // Once the owner has had the lead time, the final reminder goes out.
        snapshot.activity = RecentActivity(
            lastOutreach: PastOutreach(sentAt: F.wednesdayMorning, stage: "firm"),
            lastOwnerNotificationAt: F.wednesdayMorning)
        let later = decide(snapshot, policy: .standard, now: F.berlinMorning("2025-03-17"))
        #expect(later.actions == [.outreach(stage: "final", tone: .urgent, invoices: ["INV-1"], optOutLineRequired: false)])
    }

    @Test("many small overdue invoices: escalation on the total, though no single one comes close")
    func smallInvoicesAddUp() {
        let dues = ["2025-02-15", "2025-02-18", "2025-02-20", "2025-02-22", "2025-02-24",
                    "2025-02-26", "2025-02-28", "2025-03-03", "2025-03-06"]
        let invoices = dues.enumerated().map { F.invoice("INV-\($0.offset + 1)", due: $0.element, eur: "650.00") }
        let numbers = invoices.map(\.number)

        #expect(decide(F.snapshot(invoices: invoices), policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 1,
            actions: [
                .outreach(stage: "firm", tone: .firm, invoices: numbers, optOutLineRequired: false),
                .escalation(level: 1, invoices: numbers),
            ],
            nextReviewAt: F.berlinMorning("2025-03-17"),
            nextReviewOn: F.date("2025-03-17"),
            reasons: [
                "9 invoices overdue totalling EUR 5,850.00, oldest 25 days",
                "total overdue EUR 5,850.00 reached the level 1 threshold of EUR 5,000.00",
                "escalation level raised from 0 to 1",
                "reminder at stage firm (firm tone) for INV-1, INV-2, INV-3, INV-4, INV-5, INV-6, INV-7, INV-8 "
                    + "and INV-9; oldest 25 days overdue",
            ]))
    }

    @Test("paying down lowers the level again")
    func levelFalls() {
        let snapshot = F.snapshot(F.customer(level: 2), invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "900.00")],
                                  activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-03-10"), stage: "firm")))
        let decision = decide(snapshot, policy: .standard, now: F.wednesdayMorning)
        #expect(decision.escalationLevel == 0)
        #expect(decision.actions.isEmpty)
        #expect(decision.reasons.contains("escalation level lowered from 2 to 0"))
    }

    @Test("customers in three time zones: nothing is sent at night or at the weekend; the next review is the next local window",
          arguments: [
            ("Europe/Berlin", "2025-03-17T08:00:00Z",
             "it is Friday 23:30 in Europe/Berlin and after 17:00; the send window opens Monday 2025-03-17 09:00"),
            ("America/New_York", "2025-03-17T13:00:00Z",
             "it is Friday 18:30 in America/New_York and after 17:00; the send window opens Monday 2025-03-17 09:00"),
            ("Asia/Tokyo", "2025-03-17T00:00:00Z",
             "it is Saturday 07:30 in Asia/Tokyo and Saturday is not a business day; the send window opens Monday 2025-03-17 09:00"),
          ])
    func quietHoursAndWeekends(zone: String, nextReview: String, why: String) throws {
        let friday2230UTC = F.instant("2025-03-14T22:30:00Z")
        let snapshot = F.snapshot(F.customer(zone: TimeZone(identifier: zone)!),
                                  invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")])
        let decision = decide(snapshot, policy: .standard, now: friday2230UTC)
        #expect(decision.actions.isEmpty)
        #expect(decision.nextReviewAt == F.instant(nextReview))
        #expect(decision.nextReviewOn == F.date("2025-03-17"))
        #expect(decision.reasons.last == "stage firm reminder deferred: " + why)
    }

    @Test("at the same instant a customer whose afternoon it is gets the reminder")
    func openWindowElsewhere() {
        let snapshot = F.snapshot(F.customer(zone: TimeZone(identifier: "America/Los_Angeles")!),
                                  invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")])
        let decision = decide(snapshot, policy: .standard, now: F.instant("2025-03-14T22:30:00Z"))
        #expect(decision.actions == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: false)])
        #expect(decision.nextReviewAt == F.instant("2025-03-21T16:00:00Z"))
    }

    @Test("a holiday defers to the next business day")
    func holiday() {
        var policy = Policy.standard
        policy.holidays = [F.date("2025-03-12"), F.date("2025-03-13")]
        let snapshot = F.snapshot(invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")])
        let decision = decide(snapshot, policy: policy, now: F.wednesdayMorning)
        #expect(decision.actions.isEmpty)
        #expect(decision.nextReviewAt == F.berlinMorning("2025-03-14"))
        #expect(decision.reasons.last?.contains("2025-03-12 is a holiday") == true)
    }

    @Test("the minimum gap between reminders holds back a new stage")
    func minimumGap() {
        let snapshot = F.snapshot(
            invoices: [F.invoice("INV-1", due: "2025-02-25", eur: "800.00")],
            activity: RecentActivity(lastOutreach: PastOutreach(sentAt: F.berlinMorning("2025-03-09"), stage: "reminder")))

        #expect(decide(snapshot, policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1",
            escalationLevel: 0,
            actions: [],
            nextReviewAt: F.berlinMorning("2025-03-14"),
            nextReviewOn: F.date("2025-03-14"),
            reasons: [
                "1 invoice overdue totalling EUR 800.00, 15 days overdue",
                "stage firm is due, but the last reminder went out 3 days ago and reminders are at least 5 days apart: "
                    + "next on 2025-03-14",
            ]))
        let twoDaysLater = decide(snapshot, policy: .standard, now: F.berlinMorning("2025-03-14"))
        #expect(twoDaysLater.actions == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: false)])
    }

    @Test("do-not-contact: no outreach and no contact search, but escalation still counts")
    func doNotContact() {
        let invoices = [F.invoice("INV-1", due: "2025-01-05", eur: "6000.00")]
        let flagged = decide(F.snapshot(F.customer(doNotContact: true), invoices: invoices),
                             policy: .standard, now: F.wednesdayMorning)
        #expect(flagged == Decision(
            customer: "C-1",
            escalationLevel: 1,
            actions: [.escalation(level: 1, invoices: ["INV-1"])],
            nextReviewAt: F.berlinMorning("2025-03-19"),
            nextReviewOn: F.date("2025-03-19"),
            reasons: [
                "1 invoice overdue totalling EUR 6,000.00, 66 days overdue",
                "total overdue EUR 6,000.00 reached the level 1 threshold of EUR 5,000.00",
                "oldest invoice 66 days overdue reached the level 1 threshold of 60 days",
                "escalation level raised from 0 to 1",
                "customer is marked do-not-contact: no outreach",
            ]))

        var policy = Policy.standard
        policy.doNotContact.customers = ["C-1"]
        let listed = decide(F.snapshot(invoices: invoices, contacts: []), policy: policy, now: F.wednesdayMorning)
        #expect(listed.actions == [.escalation(level: 1, invoices: ["INV-1"])])

        policy = .standard
        policy.doNotContact.domains = ["customer.example"]
        let blockedDomain = decide(F.snapshot(invoices: invoices), policy: policy, now: F.wednesdayMorning)
        #expect(blockedDomain.actions == [.escalation(level: 1, invoices: ["INV-1"])])
        #expect(blockedDomain.reasons.contains("every contact opted out or is in a do-not-contact domain: no outreach"))
    }

    @Test("a paused customer gets no reminder until the pause ends")
    func paused() {
        let snapshot = F.snapshot(F.customer(pausedUntil: "2025-03-20"),
                                  invoices: [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")])
        let decision = decide(snapshot, policy: .standard, now: F.wednesdayMorning)
        #expect(decision.actions.isEmpty)
        #expect(decision.reasons.last == "customer is paused until 2025-03-20: no outreach")
        #expect(decision.nextReviewOn == F.date("2025-03-19"))
    }

    @Test("consumers are contacted only 08:00–21:00 local, with an opt-out line")
    func consumerHours() {
        var policy = Policy.standard
        policy.sendWindow = TimeWindow(start: TimeOfDay("07:00")!, end: TimeOfDay("22:00")!)
        let invoices = [F.invoice("INV-1", due: "2025-02-20", eur: "800.00")]
        let business = F.snapshot(invoices: invoices)
        let consumer = F.snapshot(F.customer(consumer: true), invoices: invoices)
        let early = F.instant("2025-03-12T06:30:00Z")  // 07:30 in Berlin
        let late = F.instant("2025-03-12T20:15:00Z")   // 21:15 in Berlin

        #expect(decide(business, policy: policy, now: early).actions
            == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: false)])
        let tooEarly = decide(consumer, policy: policy, now: early)
        #expect(tooEarly.actions.isEmpty)
        #expect(tooEarly.nextReviewAt == F.instant("2025-03-12T07:00:00Z"))
        let tooLate = decide(consumer, policy: policy, now: late)
        #expect(tooLate.actions.isEmpty)
        #expect(tooLate.nextReviewAt == F.instant("2025-03-13T07:00:00Z"))

        let daytime = decide(consumer, policy: policy, now: F.wednesdayMorning)
        #expect(daytime.actions == [.outreach(stage: "firm", tone: .firm, invoices: ["INV-1"], optOutLineRequired: true)])
        #expect(daytime.reasons.contains(
            "consumer: contacted only 08:00–21:00 local time, and the message must offer a way to opt out"))

        policy.consumerMode.enabled = true
        #expect(decide(business, policy: policy, now: early).actions.isEmpty)
    }

    @Test("an invoice not yet due gets a friendly reminder three days before, and nothing earlier")
    func beforeDueDate() {
        let early = decide(F.snapshot(invoices: [F.invoice("INV-1", due: "2025-03-20", eur: "800.00")]),
                           policy: .standard, now: F.wednesdayMorning)
        #expect(early.actions.isEmpty)
        #expect(early.reasons == ["nothing overdue; 1 open invoice not yet due"])
        #expect(early.nextReviewOn == F.date("2025-03-17"))

        let threeDaysBefore = decide(F.snapshot(invoices: [F.invoice("INV-1", due: "2025-03-15", eur: "800.00")]),
                                     policy: .standard, now: F.wednesdayMorning)
        #expect(threeDaysBefore.actions
            == [.outreach(stage: "reminder", tone: .friendly, invoices: ["INV-1"], optOutLineRequired: false)])
        #expect(threeDaysBefore.reasons.last == "reminder at stage reminder (friendly tone) for INV-1; oldest due in 3 days")
    }

    @Test("a customer with nothing open is looked at again after the review interval")
    func nothingOpen() {
        #expect(decide(F.snapshot(invoices: []), policy: .standard, now: F.wednesdayMorning) == Decision(
            customer: "C-1", escalationLevel: 0, actions: [],
            nextReviewAt: F.berlinMorning("2025-03-19"), nextReviewOn: F.date("2025-03-19"),
            reasons: ["no open invoices"]))
    }

    @Test("a decision prints as JSON and reads back")
    func decisionJSON() throws {
        let decision = Decision(
            customer: "C-1", escalationLevel: 1,
            actions: [
                .outreach(stage: "firm", tone: .firm, invoices: ["INV-2", "INV-3"], optOutLineRequired: false),
                .contactDiscovery(invoices: ["INV-2"]),
                .promiseVerification(invoices: []),
                .escalation(level: 1, invoices: ["INV-2"]),
                .notifyOwner(invoices: ["INV-3"]),
            ],
            nextReviewAt: F.berlinMorning("2025-03-19"), nextReviewOn: F.date("2025-03-19"),
            reasons: ["2 invoices overdue totalling EUR 1,000.00, oldest 20 days"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(decision), as: UTF8.self)
        #expect(json == """
            {"actions":[\
            {"invoices":["INV-2","INV-3"],"kind":"outreach","opt_out_line_required":false,"stage":"firm","tone":"firm"},\
            {"invoices":["INV-2"],"kind":"contact_discovery","stage":null,"tone":null},\
            {"invoices":[],"kind":"promise_verification","stage":null,"tone":null},\
            {"invoices":["INV-2"],"kind":"escalation","level":1,"stage":null,"tone":null},\
            {"invoices":["INV-3"],"kind":"notify_owner","stage":null,"tone":null}],\
            "customer":"C-1","escalation_level":1,"next_review_at":"2025-03-19T08:00:00Z","next_review_on":"2025-03-19",\
            "reasons":["2 invoices overdue totalling EUR 1,000.00, oldest 20 days"]}
            """)
        #expect(try JSONDecoder().decode(Decision.self, from: Data(json.utf8)) == decision)
    }
}
