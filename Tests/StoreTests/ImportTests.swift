import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite struct ImportTests {
    static func tenant(_ store: Store) async throws -> Int64 {
        try await store.createTenant(slug: "importer", name: "Importer").0.id
    }

    static func run(_ store: Store, _ tenant: Int64, _ kind: ImportKind, _ csv: String) async throws -> ImportSummary {
        try await store.withTenant(tenant, actor: "test") { try await $0.importCSV(kind, Array(csv.utf8)) }
    }

    @Test func aGoodFileIsAppliedAndImportingItAgainChangesNothing() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let tenant = try await Self.tenant(store)
            let customers = """
                external_ref,name,currency,timezone,language,account_owner_email
                C-1,"Buyer, Inc.",EUR,Europe/Berlin,de,owner@seller.example
                C-2,Yen Buyer KK,JPY,,,
                """
            let first = try await Self.run(store, tenant, .customers, customers)
            #expect(first.rows == 2 && first.created == 2 && first.updated == 0)
            #expect(try await Self.run(store, tenant, .customers, customers).unchanged == 2)

            let contacts = "customer_ref,name,email,role,is_primary\r\nC-1,AP,ap@buyer.example,billing,true\r\nC-1,CFO,cfo@buyer.example,,no\r\n"
            #expect(try await Self.run(store, tenant, .contacts, contacts).created == 2)

            // Amounts are decimals in the currency's units: JPY has none.
            let invoices = """
                number,customer_ref,issued_on,due_on,amount,currency,open_amount
                INV-1,C-1,2025-01-01,2025-01-31,1234.50,EUR,
                INV-2,C-2,2025-01-01,2025-02-28,120000,JPY,100000
                """
            #expect(try await Self.run(store, tenant, .invoices, invoices).created == 2)
            let payments = """
                customer_ref,invoice_number,amount,currency,received_on,reference
                C-1,INV-1,1000.50,EUR,2025-02-10,BANK-1
                """
            #expect(try await Self.run(store, tenant, .payments, payments).created == 1)
            #expect(try await Self.run(store, tenant, .payments, payments).unchanged == 1)
            #expect(try await Self.run(store, tenant, .invoices, invoices).unchanged == 2, "the paid part stays paid")

            try await store.withTenant(tenant, actor: "test") { (book) async throws -> Void in
                let eur = try #require(try await book.invoice(number: "INV-1"))
                #expect(eur.amount == 123_450)
                #expect(eur.openAmount == 23_400)
                let jpy = try #require(try await book.invoice(number: "INV-2"))
                #expect(jpy.amount == 120_000)
                #expect(jpy.openAmount == 100_000)
                let buyer = try #require(try await book.customer(externalRef: "C-1"))
                #expect(buyer.name == "Buyer, Inc.")
                #expect(buyer.timeZone == "Europe/Berlin")
                let yen = try #require(try await book.customer(externalRef: "C-2"))
                #expect(yen.timeZone == "UTC")
                let contacts = try await book.contacts(ContactFilter(customerID: buyer.id), page: PageRequest())
                #expect(contacts.items.map(\.source) == ["import", "import"])
                #expect(contacts.items.filter(\.isPrimary).map(\.email) == ["ap@buyer.example"])
            }
        }
    }

    @Test func aBadFileIsRefusedWholeWithEveryProblemListed() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let tenant = try await Self.tenant(store)
            _ = try await Self.run(store, tenant, .customers, "external_ref,name,currency,timezone,language,account_owner_email\nC-1,A,EUR,,,\n")
            let invoices = """
                customer_ref,number,issued_on,due_on,amount,currency
                C-1,INV-1,2025-01-01,2025-01-31,100.00,EUR
                C-404,INV-2,2025-01-01,2025-01-31,100.00,EUR
                C-1,INV-3,2025-13-01,2025-01-31,1.234,EUR
                C-1,INV-4,2025-02-01,2025-01-31,"1,000.00",jpy
                C-1,INV-1,2025-01-01,2025-01-31,5,EUR
                C-1,INV-6,2025-01-01,2025-01-31,12.5,JPY
                C-1,INV-7
                """
            let error = await #expect(throws: ImportRejected.self) { try await Self.run(store, tenant, .invoices, invoices) }
            let problems = try #require(error?.problems).map { "\($0.line) \($0.column ?? "-")" }
            #expect(problems == ["3 customer_ref", "4 amount", "4 issued_on", "5 currency", "5 due_on", "6 number", "7 amount", "8 -"])
            let count = try await pool.query("SELECT count(*) FROM invoices")[0].decode(Int.self, at: 0)
            #expect(count == 0, "nothing of a refused file is written")

            let header = await #expect(throws: ImportRejected.self) {
                try await Self.run(store, tenant, .payments, "customer_ref,amount,currency,received_on,reference,colour\n")
            }
            #expect(Set(header?.problems.compactMap(\.column) ?? []) == ["colour", "invoice_number"])
            let unreferenced = await #expect(throws: ImportRejected.self) {
                try await Self.run(store, tenant, .payments, "customer_ref,invoice_number,amount,currency,received_on,reference\nC-1,,5.00,EUR,2025-01-01,\n")
            }
            #expect(unreferenced?.problems.map(\.column) == ["reference"])
            let quotes = await #expect(throws: ImportRejected.self) {
                try await Self.run(store, tenant, .customers, "external_ref,name,currency,timezone,language,account_owner_email\nC-2,\"open,EUR,,,\n")
            }
            #expect(quotes?.problems.first?.reason.contains("never closed") == true)
        }
    }

    /// 100,000 invoices in one file work; how fast is measured by the benchmark in the README.
    @Test func aHugeFileImports() async throws {
        try await withTestDatabase { pool, _ in
            let store = Store(pool: pool)
            let tenant = try await Self.tenant(store)
            var customers = "external_ref,name,currency,timezone,language,account_owner_email\n"
            for index in 0..<1000 { customers += "C-\(index),Customer \(index),EUR,,,\n" }
            _ = try await Self.run(store, tenant, .customers, customers)
            var invoices = "customer_ref,number,issued_on,due_on,amount,currency\n"
            invoices.reserveCapacity(6_000_000)
            for index in 0..<100_000 {
                invoices += "C-\(index % 1000),INV-\(index),2025-01-01,2025-02-\(10 + index % 18),\(index % 5000).\(index % 100 < 10 ? "0" : "")\(index % 100),EUR\n"
            }
            let summary = try await Self.run(store, tenant, .invoices, invoices)
            #expect(summary.created == 100_000)
            let total = try await pool.query("SELECT count(*), sum(amount) FROM invoices")[0].decode((Int, Int64).self)
            #expect(total.0 == 100_000)
            let again = try await Self.run(store, tenant, .invoices, invoices)
            #expect(again.unchanged == 100_000)
        }
    }
}
