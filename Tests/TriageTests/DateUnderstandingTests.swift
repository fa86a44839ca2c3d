import Dunning
import Testing
@testable import Triage

/// Dates are resolved relative to Wednesday 11 March 2026.
@Suite struct DateUnderstandingTests {
    static let today = CalendarDate(year: 2026, month: 3, day: 11)!

    static func spans(_ text: String, _ direction: TimeDirection = .future, order: NumericDateOrder = .dayFirst, french: Bool = false) -> [String] {
        let tokens = TokenizedText(text).tokens
        return DateFinder(order: order, isFrench: french).find(in: tokens).compactMap { mention in
            guard let span = mention.expression.resolve(relativeTo: today, preferring: direction) else { return nil }
            return span.start == span.end ? span.start.description : "\(span.start)..\(span.end)"
        }
    }

    @Test(arguments: [
        ("2026-03-15", "2026-03-15"), ("15/03/2026", "2026-03-15"), ("15.03.2026", "2026-03-15"), ("15.3.26", "2026-03-15"),
        ("March 15th", "2026-03-15"), ("15 March", "2026-03-15"), ("15. März", "2026-03-15"), ("le 15 mars", "2026-03-15"),
        ("March 15, 2026", "2026-03-15"), ("15th of March", "2026-03-15"), ("Mar. 15", "2026-03-15"), ("15.03.", "2026-03-15"),
        ("15/03", "2026-03-15"), ("le 1er avril", "2026-04-01"), ("1st of April", "2026-04-01"), ("am 20.", "2026-03-20"),
        ("by the 20th", "2026-03-20"), ("on the 5th", "2026-04-05"), ("am 2.4.", "2026-04-02"),
        ("next Friday", "2026-03-20"), ("Friday", "2026-03-13"), ("this Friday", "2026-03-13"), ("am Freitag", "2026-03-13"),
        ("nächsten Freitag", "2026-03-20"), ("vendredi prochain", "2026-03-20"), ("ce vendredi", "2026-03-13"),
        ("Monday next week", "2026-03-16"), ("lundi de la semaine prochaine", "2026-03-16"), ("Wednesday", "2026-03-18"),
        ("tomorrow", "2026-03-12"), ("morgen", "2026-03-12"), ("demain", "2026-03-12"), ("übermorgen", "2026-03-13"),
        ("après-demain", "2026-03-13"), ("today", "2026-03-11"), ("aujourd'hui", "2026-03-11"),
        ("end of the month", "2026-03-31"), ("Ende des Monats", "2026-03-31"), ("Monatsende", "2026-03-31"), ("fin du mois", "2026-03-31"),
        ("month-end", "2026-03-31"), ("end of next month", "2026-04-30"), ("fin du mois prochain", "2026-04-30"),
        ("Ende nächsten Monats", "2026-04-30"), ("end of the week", "2026-03-13"), ("end of next week", "2026-03-20"),
        ("Ende nächster Woche", "2026-03-20"), ("fin de la semaine prochaine", "2026-03-20"),
        ("next week", "2026-03-16..2026-03-20"), ("nächste Woche", "2026-03-16..2026-03-20"), ("la semaine prochaine", "2026-03-16..2026-03-20"),
        ("next month", "2026-04-01..2026-04-30"), ("early next month", "2026-04-01..2026-04-10"), ("Anfang nächsten Monats", "2026-04-01..2026-04-10"),
        ("in two weeks", "2026-03-25"), ("in 2 weeks", "2026-03-25"), ("in 10 days", "2026-03-21"), ("within 10 days", "2026-03-21"),
        ("in a week", "2026-03-18"), ("in a couple of days", "2026-03-13"), ("in zwei Wochen", "2026-03-25"),
        ("innerhalb von 10 Tagen", "2026-03-21"), ("binnen 5 Werktagen", "2026-03-18"), ("in 3 business days", "2026-03-16"),
        ("dans deux semaines", "2026-03-25"), ("dans 10 jours", "2026-03-21"), ("sous huitaine", "2026-03-19"), ("d'ici 15 jours", "2026-03-26"),
        ("in a month", "2026-04-11"), ("Mitte April", "2026-04-15"), ("mid-April", "2026-04-15"), ("fin avril", "2026-04-30"),
        ("end of April", "2026-04-30"), ("Ende April", "2026-04-30"), ("début avril", "2026-04-01..2026-04-10"), ("in April", "2026-04-01..2026-04-30"),
        ("9-20 March", "2026-03-09..2026-03-20"), ("du 9 au 20 mars", "2026-03-09..2026-03-20"), ("vom 9. bis 20. März 2026", "2026-03-09..2026-03-20"),
        ("Friday, 20 March", "2026-03-20"), ("Freitag, den 20.03.2026", "2026-03-20"),
    ])
    func understandsFutureDates(text: String, expected: String) {
        #expect(Self.spans(text).first == expected, "\(text)")
    }

    @Test(arguments: [
        ("yesterday", "2026-03-10"), ("gestern", "2026-03-10"), ("last Friday", "2026-03-06"), ("on Monday", "2026-03-09"),
        ("vor zwei Tagen", "2026-03-09"), ("3 days ago", "2026-03-08"), ("il y a 3 jours", "2026-03-08"),
        ("on the 20th", "2026-02-20"), ("le 2 mars", "2026-03-02"), ("vendredi dernier", "2026-03-06"),
    ])
    func understandsPastDates(text: String, expected: String) {
        #expect(Self.spans(text, .past).first == expected, "\(text)")
    }

    @Test func frenchHierIsYesterdayOnlyInFrench() {
        #expect(Self.spans("payé hier", .past, french: true) == ["2026-03-10"])
        #expect(Self.spans("hier ist die Rechnung", .past, french: false).isEmpty)
    }

    @Test func numericOrderFollowsTheContext() {
        #expect(Self.spans("03/04/2026") == ["2026-04-03"])
        #expect(Self.spans("03/04/2026", order: .monthFirst) == ["2026-03-04"])
        #expect(Self.spans("03/25/2026") == ["2026-03-25"])
        #expect(Self.spans("12.04.2026", order: .monthFirst) == ["2026-04-12"])
    }

    @Test func ignoresThingsThatAreNotDates() {
        for text in ["Guten Morgen", "INV-2026-03-15", "1.234,56 €", "at 10:30", "version 1.2.3.4", "we may pay", "sept jours de retard", "12.50 EUR"] {
            #expect(Self.spans(text).isEmpty, "\(text)")
        }
    }

    @Test func yearIsInferredNearTheMessage() {
        #expect(Self.spans("10 March") == ["2026-03-10"])
        #expect(Self.spans("5 January") == ["2027-01-05"])
        #expect(Self.spans("5 January", .past) == ["2026-01-05"])
    }
}
