import Foundation
import TestSupport
import Testing

/// `arrears plan` through the real binary, as finance teams run it.
@Suite struct PlanCommandTests {
    @Test("plan --json prints one object per customer with exactly the documented keys, and writes nothing")
    func jsonLines() async throws {
        try await withTestDatabase { pool, database in
            let book = try await Book.create(pool)
            let first = try await book.customer("C-1")
            try await book.invoice(first, "INV-1", due: "2025-02-10", eur: "3000.00", disputed: true)
            try await book.invoice(first, "INV-2", due: "2025-02-20", eur: "400.00")
            try await book.invoice(first, "INV-3", due: "2025-02-25", eur: "600.00")
            let second = try await book.customer("C-2", contacts: [("ap@second.example", "bounced")])
            try await book.invoice(second, "INV-4", due: "2025-02-20", eur: "800.00")
            let before = try await pool.query("SELECT count(*) FROM audit_events")[0].decode(Int.self, at: 0)

            let result = try Arrears.run(["plan", "--database-url", database.connectionString,
                                                 "--tenant", "acme", "--now", "2025-03-12", "--json"])
            #expect(result.status == 0, "\(result.errors)")
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines == [
                #"{"actions":[{"invoices":["INV-2","INV-3"],"kind":"outreach","stage":"firm","tone":"firm"}],"#
                    + #""customer":"C-1","escalation_level":0,"next_review_on":"2025-03-19","#
                    + #""reasons":["2 invoices overdue totalling EUR 1,000.00, oldest 20 days","#
                    + #""INV-1 is disputed and excluded from chasing","#
                    + #""reminder at stage firm (firm tone) for INV-2 and INV-3; oldest 20 days overdue"]}"#,
                #"{"actions":[{"invoices":["INV-4"],"kind":"contact_discovery","stage":null,"tone":null}],"#
                    + #""customer":"C-2","escalation_level":0,"next_review_on":"2025-03-19","#
                    + #""reasons":["1 invoice overdue totalling EUR 800.00, 20 days overdue","#
                    + #""the only contact, ap@second.example, bounced; nothing is sent to a dead address: "#
                    + #"looking for a new contact before any outreach"]}"#,
            ])

            let after = try await pool.query("""
                SELECT (SELECT count(*) FROM audit_events), (SELECT count(*) FROM tasks),
                       (SELECT count(*) FROM customers WHERE next_review_at = '-infinity')
                """)[0].decode((Int, Int, Int).self)
            #expect(after == (before, 0, 2))
        }
    }

    @Test("plan --customer shows one customer; without --json it is text")
    func oneCustomerAsText() async throws {
        try await withTestDatabase { pool, database in
            let book = try await Book.create(pool)
            try await book.customer("C-1")
            let second = try await book.customer("C-2")
            try await book.invoice(second, "INV-9", due: "2025-02-20", eur: "800.00")

            let result = try Arrears.run(["plan", "--database-url", database.connectionString,
                                                 "--tenant", "acme", "--now", "2025-03-12", "--customer", "C-2"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output == """
                C-2 · escalation level 0 · next review 2025-03-19
                  outreach at stage firm (firm tone): INV-9
                  why: 1 invoice overdue totalling EUR 800.00, 20 days overdue
                  why: reminder at stage firm (firm tone) for INV-9; oldest 20 days overdue

                """)
        }
    }

    @Test("a missing tenant, an unknown customer or a bad date is a one-line error and a failure",
          arguments: [
            (["--tenant", "nobody", "--now", "2025-03-12"], "Error: no tenant with the slug \"nobody\""),
            (["--tenant", "acme", "--now", "2025-03-12", "--customer", "C-404"],
             "Error: the tenant has no open customer with the reference \"C-404\""),
            (["--tenant", "acme", "--now", "12.03.2025"],
             "Error: --now \"12.03.2025\" is not a date; use YYYY-MM-DD, like 2025-03-14"),
            (["--tenant", "acme", "--now", "2025-02-30"],
             "Error: --now \"2025-02-30\" is not a date; use YYYY-MM-DD, like 2025-03-14"),
          ])
    func mistakes(arguments: [String], message: String) async throws {
        try await withTestDatabase { pool, database in
            _ = try await Book.create(pool)
            let result = try Arrears.run(["plan", "--database-url", database.connectionString] + arguments)
            #expect(result.status == 1)
            #expect(result.output == "")
            #expect(result.errors == message + "\n")
        }
    }
}
