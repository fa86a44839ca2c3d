import ArgumentParser
import Foundation
import Logging
import Store

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list, suspend and reactivate tenants.",
        subcommands: [Create.self, List.self, Suspend.self, Activate.self])

    struct Create: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and print its first admin API key (shown this once).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Short name in URLs and commands: lower-case letters, digits and -.")
        var slug: String

        @Option(help: "The finance team's name.")
        var name: String

        @Option(help: "IANA time zone for reports (default UTC).")
        var timeZone: String = "UTC"

        /// Each mistake is one line, before any database work: not PostgreSQL's words for a
        /// violated constraint, nor the usage text after them.
        func validate() throws {
            if let problem = FieldRules.tenantSlug(slug) { throw CommandFailure(problem) }
            if let problem = FieldRules.timeZone(timeZone) { throw CommandFailure("--time-zone \(problem)") }
            if let problem = FieldRules.text(name, minimum: 1, maximum: 200) { throw CommandFailure("--name \(problem)") }
        }

        func run() async throws {
            try await database.withPool(logger: Logger(label: "arrears.tenant")) { pool in
                let (tenant, key) = try await Store(pool: pool).createTenant(slug: slug, name: name, timeZone: timeZone)
                print("created tenant \(tenant.slug) (id \(tenant.id))")
                print("api key: \(key.secret)")
                print("(admin key \(key.key.prefix); it is shown only now, store it safely)")
            }
        }
    }

    struct List: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.withPool(logger: Logger(label: "arrears.tenant")) { pool in
                let store = Store(pool: pool)
                var page = PageRequest(limit: PageRequest.maximumLimit)
                print(["ID", "SLUG", "STATUS", "NAME"].joined(separator: "\t"))
                while true {
                    let tenants = try await store.tenants(page: page)
                    for tenant in tenants.items {
                        print([String(tenant.id), tenant.slug, tenant.status, tenant.name].joined(separator: "\t"))
                    }
                    guard tenants.hasMore, let last = tenants.items.last else { break }
                    page.startingAfter = last.id
                }
            }
        }
    }

    struct Suspend: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "Suspend a tenant: its keys are refused until it is activated.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Argument var slug: String

        func run() async throws {
            try await TenantCommand.setStatus(database, slug, "suspended")
        }
    }

    struct Activate: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "Reactivate a suspended tenant.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Argument var slug: String

        func run() async throws {
            try await TenantCommand.setStatus(database, slug, "active")
        }
    }

    static func setStatus(_ database: DatabaseOptions, _ slug: String, _ status: String) async throws {
        try await database.withPool(logger: Logger(label: "arrears.tenant")) { pool in
            let store = Store(pool: pool)
            guard let tenant = try await store.tenant(slug: slug) else { throw ValidationError("no tenant \(slug)") }
            _ = try await store.setTenantStatus(id: tenant.id, status: status)
            print("tenant \(slug) is \(status)")
        }
    }
}
