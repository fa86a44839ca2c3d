import Dunning
import Foundation
import Testing
@testable import Triage

@Suite struct TriageResultJSONTests {
    static func json(_ result: TriageResult) throws -> [String: Any] {
        let data = try JSONEncoder().encode(result)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static let keys: Set<String> = [
        "kind", "promised_on", "amount_cents", "currency", "return_on", "new_contact", "bounce", "invoices", "confidence", "reasons",
    ]

    @Test func everyKeyIsPresentAndAbsentValuesAreNull() throws {
        let object = try Self.json(TriageResult(kind: .other, confidence: 0.5))
        #expect(Set(object.keys) == Self.keys)
        for key in ["promised_on", "amount_cents", "currency", "return_on", "new_contact", "bounce"] {
            #expect(object[key] is NSNull, "\(key)")
        }
        #expect(object["kind"] as? String == "other")
        #expect((object["invoices"] as? [Any])?.isEmpty == true)
    }

    @Test func valuesUseTheAgreedFormats() throws {
        let result = TriageResult(
            kind: .promiseToPay, promisedOn: CalendarDate(year: 2026, month: 3, day: 20), amountMinorUnits: 123_456, currency: "EUR",
            newContact: NewContact(name: nil, email: "ap@acme.com"), bounce: nil, invoices: ["INV-1"], confidence: 0.9, reasons: ["promises to pay"]
        )
        let text = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(text.contains("\"promised_on\":\"2026-03-20\""))
        #expect(text.contains("\"amount_cents\":123456"))
        #expect(text.contains("\"kind\":\"promise_to_pay\""))
        #expect(text.contains("\"confidence\":0.9"))
        let contact = try #require(try Self.json(result)["new_contact"] as? [String: Any])
        #expect(Set(contact.keys) == ["name", "email"])
        #expect(contact["name"] is NSNull)
        #expect(String(decoding: try JSONEncoder().encode(TriageResult(kind: .bounce, bounce: .soft, confidence: 1)), as: UTF8.self)
            .contains("\"bounce\":\"soft\""))
    }

    @Test func decodesWhatItEncodes() throws {
        let result = TriageResult(
            kind: .outOfOffice, returnOn: CalendarDate(year: 2026, month: 4, day: 7), newContact: NewContact(name: "Jane Roe", email: "jane@acme.com"),
            invoices: ["A", "B"], confidence: 0.95, reasons: ["automatic reply"]
        )
        #expect(try JSONDecoder().decode(TriageResult.self, from: JSONEncoder().encode(result)) == result)
    }

    @Test func kindNamesAreTheAgreedOnes() {
        #expect(ReplyKind.allCases.map(\.rawValue) == [
            "promise_to_pay", "dispute", "already_paid", "out_of_office", "bounce", "contact_change", "unsubscribe", "question", "other",
        ])
    }
}
