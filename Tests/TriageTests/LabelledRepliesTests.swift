import Dunning
import Foundation
import Mail
import Testing
@testable import Triage

/// The labelled replies under Fixtures/: one .eml per case, expectations in labels.jsonl.
@Suite struct LabelledRepliesTests {
    struct Label: Decodable {
        let file: String
        let kind: String
        let promisedOn: String?
        let returnOn: String?
        let bounce: String?
        let openInvoices: [String]
        let amountCents: Int64?
        let currency: String?
        let contactEmail: String?
        let contactName: String?
    }

    struct Case {
        let label: Label
        let result: TriageResult
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Every case classified once; the tests below look at different parts of the results.
    static let cases: [Case] = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let lines = (try? String(contentsOf: fixtures.appendingPathComponent("labels.jsonl"), encoding: .utf8))?
            .split(separator: "\n") ?? []
        let classifier = TriageClassifier()
        return lines.compactMap { line -> Case? in
            guard let label = try? decoder.decode(Label.self, from: Data(line.utf8)),
                  let data = try? Data(contentsOf: fixtures.appendingPathComponent("replies").appendingPathComponent(label.file)),
                  let message = try? ParsedMessage(parsing: data) else { return nil }
            let context = TriageContext(
                openInvoiceNumbers: label.openInvoices, defaultCurrency: "EUR",
                timeZone: TimeZone(identifier: "Europe/Berlin")!,
                ownAddresses: ["ar@northwind-supplies.example", "buchhaltung@brandt-it.example", "compta@maison-lefevre.example"]
            )
            return Case(label: label, result: classifier.classify(message, sentAt: message.date ?? Date(timeIntervalSince1970: 0), context: context))
        }
    }()

    @Test func theSetIsLargeAndVaried() throws {
        let lines = try String(contentsOf: Self.fixtures.appendingPathComponent("labels.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(Self.cases.count == lines.count, "every fixture parses")
        #expect(Self.cases.count >= 180)
        #expect(Set(Self.cases.map(\.label.kind)) == Set(ReplyKind.allCases.map(\.rawValue)))
        for language in ["-en-", "-de-", "-fr-"] {
            #expect(Self.cases.filter { $0.label.file.contains(language) }.count >= 40, "\(language)")
        }
    }

    @Test func kindAndDatesAreRightForAtLeast95Percent() {
        var wrong: [String] = []
        for item in Self.cases {
            let result = item.result
            let label = item.label
            if result.kind.rawValue != label.kind || result.promisedOn?.description != label.promisedOn || result.returnOn?.description != label.returnOn {
                wrong.append("""
                    \(label.file): expected \(label.kind) promised=\(label.promisedOn ?? "-") return=\(label.returnOn ?? "-"); \
                    got \(result.kind.rawValue) promised=\(result.promisedOn?.description ?? "-") return=\(result.returnOn?.description ?? "-") \
                    — \(result.reasons.joined(separator: "; "))
                    """)
            }
        }
        let accuracy = Double(Self.cases.count - wrong.count) / Double(max(Self.cases.count, 1))
        print("Triage kind+date accuracy: \(Self.cases.count - wrong.count)/\(Self.cases.count) = \(String(format: "%.1f", accuracy * 100))%")
        for line in wrong { print("  MISCLASSIFIED " + line) }
        #expect(accuracy >= 0.95)
    }

    @Test func extractedDetailsAreRightForAtLeast95Percent() {
        var checked = 0
        var wrong: [String] = []
        for item in Self.cases {
            let result = item.result
            let label = item.label
            var problems: [String] = []
            if let bounce = label.bounce {
                checked += 1
                if result.bounce?.rawValue != bounce { problems.append("bounce \(bounce) ≠ \(result.bounce?.rawValue ?? "nil")") }
            }
            if let cents = label.amountCents {
                checked += 1
                if result.amountMinorUnits != cents || result.currency?.code != label.currency {
                    problems.append("amount \(cents) \(label.currency ?? "") ≠ \(result.amountMinorUnits.map(String.init) ?? "nil") \(result.currency?.code ?? "")")
                }
            }
            if let email = label.contactEmail {
                checked += 1
                if result.newContact?.email?.lowercased() != email { problems.append("contact \(email) ≠ \(result.newContact?.email ?? "nil")") }
            }
            if let name = label.contactName {
                checked += 1
                if result.newContact?.name != name { problems.append("name \(name) ≠ \(result.newContact?.name ?? "nil")") }
            }
            if !problems.isEmpty { wrong.append("\(label.file): " + problems.joined(separator: ", ")) }
        }
        let failures = wrong.count
        print("Triage detail accuracy: \(checked - failures)/\(checked)")
        for line in wrong { print("  WRONG DETAIL " + line) }
        #expect(checked >= 60)
        #expect(Double(checked - failures) / Double(max(checked, 1)) >= 0.95)
    }

    @Test func everyResultIsWellFormed() {
        for item in Self.cases {
            #expect((0...1).contains(item.result.confidence))
            #expect(!item.result.reasons.isEmpty, "\(item.label.file)")
        }
    }
}
