import Foundation
import Testing
@testable import Dunning

@Suite("Money")
struct MoneyTests {
    @Test("a decimal string becomes exact minor units in the currency's decimals", arguments: [
        ("1234.5", "EUR", Int64(123_450)),
        ("1234.56", "EUR", 123_456),
        ("0.01", "EUR", 1),
        ("7", "USD", 700),
        ("1200", "JPY", 1200),
        ("950000", "KRW", 950_000),
        ("1.234", "KWD", 1234),
        ("12.5", "BHD", 12_500),
        ("0", "EUR", 0),
    ])
    func parses(text: String, currency: String, minorUnits: Int64) throws {
        let money = try Money(parsing: text, currency: CurrencyCode(code: currency)!)
        #expect(money == Money(minorUnits: minorUnits, currency: CurrencyCode(code: currency)!))
    }

    @Test("too many decimals is refused with a reason naming the currency")
    func tooManyDecimals() {
        #expect(throws: MoneyParseError.tooManyDecimals("12.345", currency: "EUR", found: 3)) {
            try Money(parsing: "12.345", currency: "EUR")
        }
        #expect(MoneyParseError.tooManyDecimals("12.345", currency: "EUR", found: 3).description
            == "\"12.345\" has 3 decimals but EUR allows at most 2")
        #expect(throws: MoneyParseError.self) { try Money(parsing: "1200.0", currency: "JPY") }
        do {
            _ = try Money(parsing: "1200.5", currency: "JPY")
            Issue.record("JPY with decimals parsed")
        } catch {
            #expect(error.description == "\"1200.5\" has a decimal point but JPY has no minor unit; write a whole amount")
        }
        #expect(throws: MoneyParseError.self) { try Money(parsing: "1.2345", currency: "KWD") }
    }

    @Test("thousands separators are refused rather than guessed")
    func separators() {
        #expect(throws: MoneyParseError.separator("1,234.56")) { try Money(parsing: "1,234.56", currency: "EUR") }
        #expect(throws: MoneyParseError.separator("12,50")) { try Money(parsing: "12,50", currency: "EUR") }
        #expect(throws: MoneyParseError.separator("1 234")) { try Money(parsing: "1 234", currency: "EUR") }
        // "1.000" is a thousand in de-DE: three decimals in EUR is an error, not one euro.
        #expect(throws: MoneyParseError.self) { try Money(parsing: "1.000", currency: "EUR") }
    }

    @Test("negatives only where allowed")
    func negatives() throws {
        #expect(throws: MoneyParseError.negativeNotAllowed("-5.00")) { try Money(parsing: "-5.00", currency: "EUR") }
        #expect(try Money(parsing: "-5.00", currency: "EUR", allowingNegative: true).minorUnits == -500)
    }

    @Test("malformed amounts are refused", arguments: ["", "-", ".5", "5.", "+5", "5e3", "1.2.3", "€5", "12a"])
    func malformed(text: String) {
        #expect(throws: MoneyParseError.self) { try Money(parsing: text, currency: "EUR", allowingNegative: true) }
    }

    @Test("amounts beyond Int64 are refused, not wrapped")
    func overflow() throws {
        #expect(throws: MoneyParseError.outOfRange("92233720368547758.08")) {
            try Money(parsing: "92233720368547758.08", currency: "EUR")
        }
        #expect(try Money(parsing: "92233720368547758.07", currency: "EUR").minorUnits == Int64.max)
    }

    @Test("formatting for people groups thousands and keeps the currency's decimals", arguments: [
        (Int64(425_000), "EUR", "EUR 4,250.00", "4250.00"),
        (5, "EUR", "EUR 0.05", "0.05"),
        (-500, "EUR", "EUR -5.00", "-5.00"),
        (1_200, "JPY", "JPY 1,200", "1200"),
        (1_234_567, "KWD", "KWD 1,234.567", "1234.567"),
        (100_000_000, "USD", "USD 1,000,000.00", "1000000.00"),
        (Int64.min, "EUR", "EUR -92,233,720,368,547,758.08", "-92233720368547758.08"),
    ])
    func formats(minorUnits: Int64, currency: String, forPeople: String, decimal: String) {
        let money = Money(minorUnits: minorUnits, currency: CurrencyCode(code: currency)!)
        #expect(money.description == forPeople)
        #expect(money.decimalString == decimal)
    }

    @Test("ISO 4217 exponents", arguments: [
        ("EUR", 2), ("JPY", 0), ("KRW", 0), ("VND", 0), ("CLP", 0), ("BHD", 3), ("KWD", 3), ("JOD", 3),
        ("OMR", 3), ("TND", 3), ("IQD", 3), ("LYD", 3), ("CLF", 4), ("CHF", 2),
    ])
    func exponents(code: String, exponent: Int) {
        #expect(CurrencyCode(code: code)?.minorUnitExponent == exponent)
    }

    @Test("currency codes are three capital letters")
    func currencyCodes() {
        #expect(CurrencyCode(code: "eur") == nil)
        #expect(CurrencyCode(code: "EURO") == nil)
        #expect(CurrencyCode(code: "€") == nil)
    }

    @Test("JSON carries an exact decimal string")
    func json() throws {
        let money = Money(minorUnits: 123_450, currency: "EUR")
        let data = try JSONEncoder().encode(money)
        #expect(String(decoding: data, as: UTF8.self).contains("\"amount\":\"1234.50\""))
        #expect(try JSONDecoder().decode(Money.self, from: data) == money)
        let bad = Data(#"{"amount":"12.345","currency":"EUR"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Money.self, from: bad) }
    }

    @Test("sums saturate instead of crashing a review")
    func saturation() {
        let huge = Money(minorUnits: .max - 1, currency: "EUR")
        #expect(huge.saturatingAdding(Money(minorUnits: 10, currency: "EUR")).minorUnits == .max)
        #expect(huge.saturatingMultiplied(by: 3).minorUnits == .max)
        #expect(Money(minorUnits: 5_000, currency: "EUR").saturatingMultiplied(by: 3).minorUnits == 15_000)
    }
}
