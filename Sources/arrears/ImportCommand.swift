import ArgumentParser
import Foundation
import Logging
import Store

struct ImportCommand: AsyncParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file of customers, contacts, invoices or payments into a tenant.",
        discussion: """
            Columns (header line required, any order):
              customers: external_ref,name,currency,timezone,language,account_owner_email
              contacts:  customer_ref,name,email,role,is_primary
              invoices:  customer_ref,number,issued_on,due_on,amount,currency[,open_amount]
              payments:  customer_ref,invoice_number,amount,currency,received_on,reference
            Amounts are decimals in the currency's units (12.50 EUR, 1200 JPY). A file with any bad row is refused
            whole and every problem is listed; a good file is applied in one transaction, as an upsert by natural key,
            so importing it again changes nothing.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "The tenant's slug.")
    var tenant: String

    @Argument(help: "customers, contacts, invoices or payments.")
    var kind: String

    @Argument(help: "The CSV file.")
    var file: String

    func validate() throws {
        guard ImportKind(rawValue: kind) != nil else {
            throw ValidationError("the kind must be customers, contacts, invoices or payments")
        }
    }

    func run() async throws {
        let kind = ImportKind(rawValue: kind)!
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let bar = ProgressBar(enabled: isatty(STDOUT_FILENO) == 1)
        try await database.withPool(logger: Logger(label: "arrears.import")) { pool in
            let store = Store(pool: pool)
            guard let tenant = try await store.tenant(slug: tenant) else { throw ValidationError("no tenant \(self.tenant)") }
            do {
                let summary = try await store.withTenant(tenant.id, actor: "cli") { tenant in
                    try await tenant.importCSV(kind, Array(data)) { done, total in bar.show(done, total) }
                }
                bar.finish()
                print("imported \(summary.rows) \(kind.rawValue): \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged")
            } catch let rejected as ImportRejected {
                bar.finish()
                FileHandle.standardError.write(Data((rejected.description + "\n").utf8))
                throw ExitCode(1)
            }
        }
    }
}

/// A one-line bar redrawn in place; only on a terminal, so logs and pipes get the summary alone.
struct ProgressBar: Sendable {
    let enabled: Bool

    func show(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(done)/\(total)"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
