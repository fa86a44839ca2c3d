import Dunning
import Foundation
import Store

/// The API benchmark's tenants, each with a key and a book imported through the CSV importer,
/// and the routes it loads, every request naming objects of the tenant whose key it carries.
struct ApiBenchBook {
    struct BenchTenant {
        var id: Int64
        var key: String
        var customerIDs: [Int64]
        var customerRefs: [String]
    }

    var tenants: [BenchTenant]

    static func create(store: Store, tenants count: Int, customersPerTenant: Int) async throws -> ApiBenchBook {
        let today = LocalDateTime(Date(), in: TimeZone(identifier: "UTC")!).date
        var tenants: [BenchTenant] = []
        for index in 0..<count {
            let (tenant, key) = try await store.createTenant(slug: "bench-\(index + 1)", name: "Bench Tenant \(index + 1)")
            var customers = "external_ref,name,currency,timezone,language,account_owner_email\n"
            var invoices = "customer_ref,number,issued_on,due_on,amount,currency\n"
            for customer in 0..<customersPerTenant {
                customers += "C-\(customer),Customer \(customer) Ltd,EUR,Europe/Berlin,de,\n"
                for invoice in 0..<5 {
                    // Due dates from 100 days ago to 20 days ahead: every aging bucket has something.
                    let due = today.adding(days: 20 - (customer * 7 + invoice * 23) % 120)
                    invoices += "C-\(customer),INV-\(customer)-\(invoice),\(due.adding(days: -30)),\(due),\(100 + (customer * 37 + invoice * 11) % 9_000).00,EUR\n"
                }
            }
            let ids = try await store.withTenant(tenant.id, actor: "bench") { book in
                _ = try await book.importCSV(.customers, Array(customers.utf8))
                _ = try await book.importCSV(.invoices, Array(invoices.utf8))
                var ids: [Int64] = []
                var after: Int64?
                repeat {
                    let page = try await book.customers(CustomerFilter(), page: PageRequest(limit: PageRequest.maximumLimit, startingAfter: after))
                    ids += page.items.map(\.id)
                    after = page.hasMore ? page.items.last?.id : nil
                } while after != nil
                return ids
            }
            tenants.append(BenchTenant(id: tenant.id, key: key.secret, customerIDs: ids,
                                       customerRefs: (0..<customersPerTenant).map { "C-\($0)" }))
        }
        return ApiBenchBook(tenants: tenants)
    }

    /// Reads of lists, single objects, reports and the task list; an upsert that changes nothing
    /// (the ERP sync's hourly case) and a payment that changes the book.
    var routes: [WrkRoute] {
        func route(_ name: String, _ request: (BenchTenant, Int) -> WrkRoute.Request) -> WrkRoute {
            var requests: [WrkRoute.Request] = []
            for sample in 0..<400 {
                let tenant = tenants[sample % tenants.count]
                requests.append(request(tenant, (sample * 7_919) % tenant.customerIDs.count))
            }
            return WrkRoute(name: name, requests: requests)
        }
        return [
            route("GET /healthz") { tenant, _ in .init(method: "GET", path: "/healthz", key: tenant.key) },
            route("GET /v1/customers?limit=20") { tenant, _ in .init(method: "GET", path: "/v1/customers?limit=20", key: tenant.key) },
            route("GET /v1/customers/{customer_id}") { tenant, index in
                .init(method: "GET", path: "/v1/customers/\(tenant.customerIDs[index])", key: tenant.key)
            },
            route("GET /v1/customers/by-ref/{external_ref}") { tenant, index in
                .init(method: "GET", path: "/v1/customers/by-ref/\(tenant.customerRefs[index])", key: tenant.key)
            },
            route("GET /v1/invoices?customer_id=") { tenant, index in
                .init(method: "GET", path: "/v1/invoices?customer_id=\(tenant.customerIDs[index])", key: tenant.key)
            },
            route("GET /v1/invoices?limit=100") { tenant, _ in .init(method: "GET", path: "/v1/invoices?limit=100", key: tenant.key) },
            route("GET /v1/reports/aging") { tenant, _ in .init(method: "GET", path: "/v1/reports/aging", key: tenant.key) },
            route("GET /v1/reports/overdue-customers") { tenant, _ in
                .init(method: "GET", path: "/v1/reports/overdue-customers?limit=20", key: tenant.key)
            },
            route("GET /v1/tasks?limit=20") { tenant, _ in .init(method: "GET", path: "/v1/tasks?limit=20", key: tenant.key) },
            route("PUT /v1/customers/by-ref/{external_ref}") { tenant, index in
                .init(method: "PUT", path: "/v1/customers/by-ref/\(tenant.customerRefs[index])", key: tenant.key,
                      body: #"{"name": "Customer \#(index) Ltd", "currency": "EUR"}"#)
            },
            route("POST /v1/payments") { tenant, index in
                .init(method: "POST", path: "/v1/payments", key: tenant.key,
                      body: #"{"customer_id": \#(tenant.customerIDs[index]), "amount": 100, "currency": "EUR", "received_on": "\#(LocalDateTime(Date(), in: TimeZone(identifier: "UTC")!).date)"}"#)
            },
        ]
    }
}
