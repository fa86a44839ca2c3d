import Foundation
import Testing

/// GET /v1/reports/summary on a book whose figures are worked out by hand.
@Suite struct ReportSummaryTests {
    @Test func theSummaryShowsTheMeasuresOfTheBookAsItStands() async throws {
        try await withAPI { client, fixture in
            let key = fixture.firstAdmin
            let customer = try await client.create("/v1/customers", key: key, #"{"external_ref": "C-1", "name": "Buyer", "currency": "EUR"}"#)
            func invoice(_ number: String, issued: String, due: String, amount: Int) async throws {
                _ = try await client.create("/v1/invoices", key: key, """
                    {"customer_id": \(customer), "number": "\(number)", "issued_on": "\(issued)", "due_on": "\(due)", "amount": \(amount), "currency": "EUR"}
                    """)
            }
            try await invoice("A", issued: "2025-03-05", due: "2025-04-04", amount: 10_000)  // not yet due on 31 March
            try await invoice("B", issued: "2025-03-10", due: "2025-03-20", amount: 20_000)  // 11 days overdue
            try await invoice("C", issued: "2025-02-01", due: "2025-03-01", amount: 30_000)  // before the period, paid in it
            _ = try await client.create("/v1/payments", key: key,
                                        #"{"customer_id": \#(customer), "amount": 30000, "currency": "EUR", "received_on": "2025-03-15"}"#)
            for (date, status) in [("2025-03-20", "kept"), ("2025-03-22", "broken"), ("2025-03-25", nil), ("2025-04-10", "kept")] as [(String, String?)] {
                let promise = try await client.create("/v1/promises", key: key, #"{"customer_id": \#(customer), "promised_on": "\#(date)"}"#)
                if let status {
                    #expect(try await client.patch("/v1/promises/\(promise)", key: key, #"{"status": "\#(status)"}"#).status == 200)
                }
            }

            let report = try await client.get("/v1/reports/summary?as_of=2025-03-31&period_days=30", key: key)
            #expect(report.status == 200, "\(report.text)")
            #expect(report.string("object") == "report_summary")
            let euro = try #require((report.object["currencies"] as? [[String: Any]])?.first)
            #expect(euro["currency"] as? String == "EUR")
            #expect(euro["credit_sales"] as? Int == 30_000, "A and B were invoiced in March")
            #expect(euro["collected"] as? Int == 30_000)
            #expect(euro["receivables"] as? Int == 30_000)
            #expect(euro["current_receivables"] as? Int == 10_000)
            #expect(euro["dso"] as? Double == 30)
            #expect(euro["best_possible_dso"] as? Double == 10)
            #expect(euro["average_days_delinquent"] as? Double == 20)
            #expect(euro["collection_effectiveness_index"] as? Double == 60, "30,000 collected of 30,000 + 20,000 overdue")
            let aging = try #require(euro["aging"] as? [String: Any])
            #expect(aging["current"] as? Int == 10_000)
            #expect(aging["days_1_30"] as? Int == 20_000)
            let promises = try #require(report.object["promises"] as? [String: Any])
            #expect(promises["kept"] as? Int == 1)
            #expect(promises["broken"] as? Int == 1)
            #expect(promises["open"] as? Int == 1)
            #expect(promises["kept_rate"] as? Double == 50)
            #expect(report.object["agents"] is [String: Any])

            let other = try await client.get("/v1/reports/summary?as_of=2025-03-31", key: fixture.secondAdmin)
            #expect((other.object["currencies"] as? [Any])?.isEmpty == true, "another tenant's report has nothing of this book")
            #expect(try await client.get("/v1/reports/summary?period_days=0", key: key).status == 400)
            #expect(try await client.get("/v1/reports/summary?as_of=yesterday", key: key).status == 400)
            #expect(try await client.get("/v1/reports/summary", key: nil).status == 401)
        }
    }
}
