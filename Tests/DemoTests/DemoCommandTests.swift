import Foundation
import Testing
import TestSupport

/// `arrears demo`, shortened, run twice in a row on the test server: it sets everything up itself,
/// the agents work through the month, and the summary reports what they did.
@Suite("arrears demo", .timeLimit(.minutes(5)))
struct DemoCommandTests {
    @Test("a short demo runs to its summary, twice in a row")
    func runsTwice() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        for _ in 0..<2 {
            let result = try ArrearsCommand.run([
                "demo", "--customers", "60", "--days", "12", "--seconds", "30", "--home", home.path(""),
                "--database-url", TestDatabase.serverURL,
            ])
            #expect(result.status == 0, "\(result.errors.suffix(2000))")
            let output = result.output
            #expect(output.contains("Summary of 12 simulated days"))
            let reminders = try #require(output.firstMatch(of: /mails sent\s+(\d+) reminders/)?.1).flatMap { Int($0) }
            #expect((reminders ?? 0) > 20)
            #expect(output.contains("promise_to_pay"))
            #expect(output.firstMatch(of: /EUR\s+overdue EUR [\d,.]+ → EUR [\d,.]+; DSO [\d.]+ → [\d.]+ days/) != nil)
            let mails = try FileManager.default.contentsOfDirectory(atPath: home.path("demo-mail"))
            #expect(mails.count >= reminders ?? 0)
        }
    }
}
