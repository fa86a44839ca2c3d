import Foundation
import Testing
@testable import Dunning

@Suite("Policy JSON")
struct PolicyTests {
    private func decode(_ json: String) throws(PolicyValidationError) -> Policy {
        try Policy.decode(json: Data(json.utf8))
    }

    private func problems(_ json: String) -> [String] {
        do {
            _ = try decode(json)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("the default policy is valid and survives a JSON round trip")
    func defaultsRoundTrip() throws {
        #expect(Policy.standard.validationProblems().isEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Policy.standard)
        #expect(try Policy.decode(json: data) == Policy.standard)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""min_days_between_reminders":5"#))
        #expect(text.contains(#""tolerance":{"EUR":"50.00","GBP":"50.00","USD":"50.00"}"#))
        #expect(text.contains(#""business_days":["monday","tuesday","wednesday","thursday","friday"]"#))
        #expect(text.contains(#""send_window":{"end":"17:00","start":"09:00"}"#))
        #expect(text.contains(#"{"from_days":-3,"name":"reminder","repeat_days":7,"tone":"friendly"}"#))
    }

    @Test("an edited policy round-trips, including cleared and optional values")
    func customRoundTrip() throws {
        var policy = Policy.standard
        policy.stages = [
            Stage(name: "nudge", fromDays: 0, tone: .friendly, repeatDays: 10),
            Stage(name: "demand", fromDays: 21, tone: .urgent, repeatDays: 5),
        ]
        policy.ownerInvolvement.keyAccountBeforeStage = nil
        policy.escalation.levels = [EscalationLevel(overdueInvoices: 4)]
        policy.smallBalance.tolerance = CurrencyAmounts([Money(minorUnits: 7_000, currency: "JPY"),
                                                          Money(minorUnits: 5_000, currency: "KWD")])
        policy.holidays = [CalendarDate("2025-12-25")!, CalendarDate("2025-12-26")!]
        policy.businessDays = [.sunday, .monday, .tuesday, .wednesday, .thursday]
        policy.consumerMode = ConsumerMode(enabled: true, contactWindow: TimeWindow(start: TimeOfDay("10:00")!, end: TimeOfDay("20:00")!))
        policy.doNotContact = DoNotContactRules(customers: ["C-9"], domains: ["gov.example"])
        let data = try JSONEncoder().encode(policy)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""key_account_before_stage":null"#))
        #expect(text.contains(#""JPY":"7000""#))
        #expect(text.contains(#""KWD":"5.000""#))
        #expect(try Policy.decode(json: data) == policy)
    }

    @Test("the agents' rules: contact approval, the owner's pause, and how long replies hold outreach")
    func agentRules() throws {
        let policy = try decode("""
            {"contact_discovery": {"auto_apply": false},
             "escalation": {"pause_outreach_from_level": 1, "pause_outreach_days": 21},
             "replies": {"question_pause_days": 2, "promise_without_date_days": 10}}
            """)
        #expect(policy.contactDiscovery.autoApply == false)
        #expect(policy.contactDiscovery.retryDays == Policy.standard.contactDiscovery.retryDays)
        #expect(policy.escalation.pauseOutreachFromLevel == 1 && policy.escalation.pauseOutreachDays == 21)
        #expect(policy.replies == ReplyRules(questionPauseDays: 2, alreadyPaidPauseDays: 5, outOfOfficeDefaultDays: 7,
                                             promiseWithoutDateDays: 10))
        #expect(Policy.standard.contactDiscovery.autoApply && Policy.standard.escalation.pauseOutreachFromLevel == 2)
        #expect(problems(#"{"replies": {"question_pause_days": -1, "colour": 2}, "escalation": {"pause_outreach_days": 0}}"#) == [
            #"$.replies.colour: unknown key; expected one of: question_pause_days, already_paid_pause_days, out_of_office_default_days, promise_without_date_days"#,
        ])
        #expect(problems(#"{"replies": {"question_pause_days": -1}, "escalation": {"pause_outreach_days": 0}}"#) == [
            "$.escalation.pause_outreach_days: 0 is out of range; use 1 to 365",
            "$.replies.question_pause_days: -1 is out of range; use 0 to 60",
        ])
    }

    @Test("keys left out keep their defaults")
    func partialDocument() throws {
        let policy = try decode(#"{"min_days_between_reminders": 9, "send_window": {"start": "08:30"}}"#)
        var expected = Policy.standard
        expected.minDaysBetweenReminders = 9
        expected.sendWindow.start = TimeOfDay("08:30")!
        #expect(policy == expected)
    }

    @Test("unknown keys and wrong types are all reported with their JSON path")
    func structuralProblems() {
        let found = problems("""
            {
              "stages": [{"name": "firm", "from_days": "14", "tone": "loud", "colour": "red"}],
              "min_days_between_reminder": 3,
              "small_balance": {"tolerance": {"EUR": "1,000.00", "eur": "5.00", "JPY": "12.5"}},
              "business_days": ["monday", "funday"],
              "holidays": ["2025-02-30"],
              "consumer_mode": {"enabled": "yes", "contact_window": {"start": "8am"}},
              "escalation": {"levels": [{"overdue_invoices": 2.5}]},
              "review_interval_days": null
            }
            """)
        #expect(found == [
            #"$.min_days_between_reminder: unknown key; expected one of: stages, min_days_between_reminders, small_balance, good_history, escalation, owner_involvement, send_window, business_days, holidays, consumer_mode, do_not_contact, promise_grace_days, contact_discovery, replies, review_interval_days"#,
            #"$.stages[0].colour: unknown key; expected one of: name, from_days, tone, repeat_days"#,
            #"$.stages[0].from_days: expected a whole number, found the string "14""#,
            #"$.stages[0].tone: "loud" is not a tone; use one of friendly, firm, urgent, formal"#,
            #"$.small_balance.tolerance.EUR: "1,000.00" contains a comma or space; write digits with a point for decimals and no thousands separators, like 1234.56"#,
            #"$.small_balance.tolerance.JPY: "12.5" has a decimal point but JPY has no minor unit; write a whole amount"#,
            #"$.small_balance.tolerance.eur: "eur" is not a currency code; use three capital letters such as EUR"#,
            #"$.escalation.levels[0].overdue_invoices: expected a whole number, found 2.5"#,
            #"$.business_days[1]: "funday" is not a weekday; use one of monday, tuesday, wednesday, thursday, friday, saturday, sunday"#,
            #"$.holidays[0]: "2025-02-30" is not a date; use YYYY-MM-DD, like 2025-03-14"#,
            #"$.consumer_mode.enabled: expected true or false, found the string "yes""#,
            #"$.consumer_mode.contact_window.start: "8am" is not a time of day; use HH:MM on a 24-hour clock, like 09:00"#,
            #"$.review_interval_days: expected a whole number, found null"#,
        ])
    }

    @Test("values out of range and contradictory rules are reported with their JSON path")
    func semanticProblems() {
        let found = problems("""
            {
              "stages": [
                {"name": "first", "from_days": 5, "tone": "friendly"},
                {"name": "Second", "from_days": 5, "tone": "firm", "repeat_days": 0},
                {"name": "first", "from_days": 10, "tone": "urgent"}
              ],
              "min_days_between_reminders": 0,
              "small_balance": {"tolerance": {"EUR": "-5.00"}},
              "good_history": {"min_on_time_ratio": 1.5},
              "escalation": {"levels": [{}, {"total_overdue": {"EUR": "0"}}]},
              "owner_involvement": {"key_account_before_stage": "final"},
              "send_window": {"start": "17:00", "end": "09:00"},
              "business_days": [],
              "consumer_mode": {"contact_window": {"start": "07:00", "end": "22:00"}},
              "do_not_contact": {"domains": ["Gov.Example", "ok.example"]}
            }
            """)
        #expect(found == [
            #"$.small_balance.tolerance.EUR: "-5.00" is negative; only zero or positive amounts are allowed here"#,
        ])
        let semantic = problems("""
            {
              "stages": [
                {"name": "first", "from_days": 5, "tone": "friendly"},
                {"name": "Second", "from_days": 5, "tone": "firm", "repeat_days": 0},
                {"name": "first", "from_days": 10, "tone": "urgent"}
              ],
              "min_days_between_reminders": 0,
              "good_history": {"min_on_time_ratio": 1.5},
              "escalation": {"levels": [{}, {"total_overdue": {"EUR": "0"}}]},
              "owner_involvement": {"key_account_before_stage": "final"},
              "send_window": {"start": "17:00", "end": "09:00"},
              "business_days": [],
              "consumer_mode": {"contact_window": {"start": "07:00", "end": "22:00"}},
              "do_not_contact": {"domains": ["Gov.Example", "ok.example"]}
            }
            """)
        #expect(semantic == [
            #"$.stages[1].name: "Second" must be 1–40 lower-case letters, digits or _, starting with a letter"#,
            #"$.stages[1].from_days: must be greater than the previous stage's 5; stages are listed from earliest to latest"#,
            #"$.stages[1].repeat_days: 0 is out of range; use 1 to 365"#,
            #"$.stages[2].name: "first" is used by an earlier stage"#,
            #"$.min_days_between_reminders: 0 is out of range; use 1 to 365"#,
            #"$.good_history.min_on_time_ratio: must be between 0 and 1, like 0.9"#,
            #"$.escalation.levels[0]: level 1 needs at least one threshold: total_overdue, overdue_invoices or oldest_days_overdue"#,
            #"$.escalation.levels[1].total_overdue.EUR: must be more than zero"#,
            #"$.owner_involvement.key_account_before_stage: "final" is not one of the stages: first, Second, first"#,
            #"$.send_window.end: must be later than start 17:00; windows cannot run past midnight"#,
            #"$.business_days: needs at least one day, or nothing is ever sent"#,
            #"$.consumer_mode.contact_window: must lie within 08:00–21:00: consumers may not be contacted before 08:00 or after 21:00 local time"#,
            #"$.do_not_contact.domains: "Gov.Example" is not a lower-case mail domain like example.com"#,
        ])
    }

    @Test("a document that is not JSON, or not an object, is one problem at the root")
    func notAPolicy() {
        #expect(problems("{") == ["$: not valid JSON"])
        #expect(problems("[1]") == ["$: expected an object, found a list"])
    }

    @Test("the validation error itself is JSON the API can return")
    func errorJSON() throws {
        let error = PolicyValidationError(problems: [PolicyProblem(path: "$.stages", message: "needs at least one stage")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(error), as: UTF8.self)
            == #"{"problems":[{"message":"needs at least one stage","path":"$.stages"}]}"#)
    }
}
