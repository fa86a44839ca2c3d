import Foundation
import Store
import TestSupport
import Testing

/// `arrears report` through the real binary.
@Suite struct ReportCommandTests {
    @Test func theReportPrintsAsTextJSONAndHTMLAndRefusesBadInput() async throws {
        try await withTestDatabase { pool, database in
            let store = Store(pool: pool)
            let (tenant, _) = try await store.createTenant(slug: "acme", name: "Acme <Finance>")
            try await store.withTenant(tenant.id, actor: "test") { book in
                _ = try await book.importCSV(.customers, Array("external_ref,name,currency,timezone,language,account_owner_email\nC-1,Buyer,EUR,,,\n".utf8))
                _ = try await book.importCSV(.invoices, Array("""
                    customer_ref,number,issued_on,due_on,amount,currency
                    C-1,A,2025-03-05,2025-04-04,100.00,EUR
                    C-1,B,2025-03-10,2025-03-20,200.00,EUR

                    """.utf8))
            }
            let common = ["--database-url", database.connectionString, "--tenant", "acme", "--as-of", "2025-03-31", "--period-days", "30"]

            let json = try ArrearsCommand.run(["report", "--format", "json"] + common)
            #expect(json.status == 0, "\(json.errors)")
            let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            let euro = try #require((object?["currencies"] as? [[String: Any]])?.first)
            #expect(euro["dso"] as? Double == 30)
            #expect(euro["best_possible_dso"] as? Double == 10)
            #expect(euro["collection_effectiveness_index"] as? Double == 0)

            let text = try ArrearsCommand.run(["report"] + common)
            #expect(text.status == 0)
            #expect(text.output.contains("DSO 30.0 days · best possible 10.0 days · average days delinquent 20.0 days"), "\(text.output)")
            #expect(text.output.contains("1–30 EUR 200.00"), "\(text.output)")

            let html = try ArrearsCommand.run(["report", "--format", "html"] + common)
            #expect(html.status == 0)
            #expect(html.output.hasPrefix("<!doctype html>"))
            #expect(html.output.contains("Acme &lt;Finance&gt;"), "names are escaped")
            #expect(html.output.contains("<svg"))

            for (arguments, message) in [(["--format", "pdf"], "pdf"), (["--period-days", "0"], "period-days")] {
                let refused = try ArrearsCommand.run(["report"] + common + arguments)
                #expect(refused.status != 0)
                #expect(refused.errors.contains(message), "\(refused.errors)")
            }
            let unknown = try ArrearsCommand.run(["report", "--database-url", database.connectionString, "--tenant", "nobody"])
            #expect(unknown.status != 0)
            #expect(unknown.errors.contains("no tenant nobody"), "\(unknown.errors)")
        }
    }
}
