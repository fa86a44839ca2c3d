import Dunning
import Foundation
import Store

/// The chaos run's tenants and their customers: each customer owes a few overdue invoices, so the
/// first review sends every one of them a reminder, and a share of them answers.
public struct ChaosWorld: Sendable {
    public struct Tenant: Sendable {
        public let id: Int64
        public let slug: String
        public let key: String
    }

    /// How a customer answers its reminders.
    public enum Answer: String, Sendable {
        case promise, absence, question, silence
    }

    public struct Customer: Sendable {
        public let tenantSlug: String
        public let email: String
        public let answer: Answer
    }

    /// Customers arriving together: a tenant's import of a few customers with their contacts and invoices.
    public struct Batch: Sendable {
        let tenantID: Int64
        let files: [(ImportKind, String)]
    }

    public let tenants: [Tenant]
    /// By contact address.
    public let customers: [String: Customer]
    /// The book, to import over the run, so the agents have new customers to write to throughout.
    public let batches: [Batch]

    /// Every day and hour is a sending one, so the run does not depend on when it starts.
    static let policy = """
        {"send_window": {"start": "00:00", "end": "24:00"},
         "business_days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}
        """

    /// Creates the tenants with their settings and policy; their customers come in `batches`.
    public static func create(store: Store, tenants count: Int, customersPerTenant: Int, smtpURL: String,
                              today: CalendarDate, batchSize: Int = 10) async throws -> ChaosWorld {
        var tenants: [Tenant] = []
        var customers: [String: Customer] = [:]
        var byTenant: [[Batch]] = []
        for number in 1...count {
            var batches: [Batch] = []
            let slug = "chaos-\(number)"
            let (tenant, key) = try await store.createTenant(slug: slug, name: "Chaos Tenant \(number)")
            var customerRows: [String] = []
            var contactRows: [String] = []
            var invoiceRows: [String] = []
            func closeBatch() {
                guard !customerRows.isEmpty else { return }
                batches.append(Batch(tenantID: tenant.id, files: [
                    (.customers, (["external_ref,name,currency,timezone,language,account_owner_email"] + customerRows).joined(separator: "\n")),
                    (.contacts, (["customer_ref,name,email,role,is_primary"] + contactRows).joined(separator: "\n")),
                    (.invoices, (["customer_ref,number,issued_on,due_on,amount,currency"] + invoiceRows).joined(separator: "\n")),
                ]))
                customerRows = []
                contactRows = []
                invoiceRows = []
            }
            for index in 0..<customersPerTenant {
                if index % batchSize == 0 { closeBatch() }
                let reference = "C-\(index + 1)"
                let email = "ap-\(index + 1)@customer-\(number)-\(index + 1).example"
                customerRows.append("\(reference),Customer \(number)-\(index + 1),EUR,Europe/Berlin,en,owner@chaos-\(number).example")
                contactRows.append("\(reference),Pat Payer,\(email),accounts_payable,true")
                for invoice in 0..<(1 + index % 3) {
                    let due = today.adding(days: -(20 + (index * 7 + invoice * 11) % 40))
                    invoiceRows.append("\(reference),T\(number)-\(index + 1)-\(invoice + 1),\(due.adding(days: -30)),\(due),"
                                       + "\(150 + (index * 37 + invoice * 91) % 2000).00,EUR")
                }
                let answer: Answer = switch index % 10 {
                case 0, 3, 6: .promise
                case 1: .absence
                case 4: .question
                default: .silence
                }
                customers[email] = Customer(tenantSlug: slug, email: email, answer: answer)
            }
            closeBatch()
            byTenant.append(batches)
            try await store.withTenant(tenant.id, actor: "chaos") { tenant in
                var settings = TenantSettingsChanges()
                settings.senderEmail = .set("ar@chaos-\(number).example")
                settings.smtpURL = .set(smtpURL)
                settings.smtpSecurity = .set("none")
                _ = try await tenant.updateSettings(settings)
                _ = try await tenant.replacePolicy(document: policy)
            }
            tenants.append(Tenant(id: tenant.id, slug: slug, key: key.secret))
        }
        // Tenants' arrivals interleaved, so every tenant gets new customers throughout.
        let rounds = byTenant.map(\.count).max() ?? 0
        let interleaved = (0..<rounds).flatMap { round in byTenant.compactMap { round < $0.count ? $0[round] : nil } }
        return ChaosWorld(tenants: tenants, customers: customers, batches: interleaved)
    }

    /// Imports a batch in one transaction, as an ERP sync would.
    public static func importBatch(_ batch: Batch, store: Store) async throws {
        try await store.withTenant(batch.tenantID, actor: "chaos") { tenant in
            for (kind, csv) in batch.files {
                _ = try await tenant.importCSV(kind, Array((csv + "\n").utf8))
            }
        }
    }
}
