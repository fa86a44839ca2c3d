import ArgumentParser
import Foundation
import Logging
import Store

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Issue, list and revoke a tenant's API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "Issue an API key and print it (shown this once).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Option(help: "The tenant's slug.")
        var tenant: String

        @Option(help: "admin (read and write) or read_only.")
        var role: String = "admin"

        @Option(help: "What the key is for, to recognise it later.")
        var name: String = ""

        func validate() throws {
            guard APIKeyRole(rawValue: role) != nil else { throw ValidationError("--role must be admin or read_only") }
        }

        func run() async throws {
            try await database.withPool(logger: Logger(label: "arrears.key")) { pool in
                let store = Store(pool: pool)
                guard let tenant = try await store.tenant(slug: tenant) else { throw ValidationError("no tenant \(self.tenant)") }
                let issued = try await store.issueKey(tenantID: tenant.id, role: APIKeyRole(rawValue: role)!, name: name)!
                print("api key: \(issued.secret)")
                print("(\(role) key \(issued.key.prefix) of \(tenant.slug); it is shown only now, store it safely)")
            }
        }
    }

    struct List: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (never their secrets).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Option(help: "The tenant's slug.")
        var tenant: String

        func run() async throws {
            try await database.withPool(logger: Logger(label: "arrears.key")) { pool in
                let store = Store(pool: pool)
                guard let tenant = try await store.tenant(slug: tenant) else { throw ValidationError("no tenant \(self.tenant)") }
                print(["PREFIX", "ROLE", "NAME", "REVOKED"].joined(separator: "\t"))
                var page = PageRequest(limit: PageRequest.maximumLimit)
                while true {
                    let keys = try await store.keys(tenantID: tenant.id, page: page)
                    for key in keys.items {
                        print([key.prefix, key.role.rawValue, key.name, key.revokedAt == nil ? "no" : "yes"].joined(separator: "\t"))
                    }
                    guard keys.hasMore, let last = keys.items.last else { break }
                    page.startingAfter = last.id
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand, HasGlobalOptions {
        static let configuration = CommandConfiguration(abstract: "Revoke a key for good, named by its prefix (or the whole key).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The key's prefix as `arrears key list` shows it, or the key itself.")
        var key: String

        func run() async throws {
            let prefix = key.hasPrefix("ark_") ? String(key.dropFirst(4).prefix(while: { $0 != "_" })) : key
            try await database.withPool(logger: Logger(label: "arrears.key")) { pool in
                guard let revoked = try await Store(pool: pool).revokeKey(prefix: prefix) else {
                    throw ValidationError("no key with prefix \(prefix)")
                }
                print("revoked key \(revoked.prefix)")
            }
        }
    }
}
