import Dunning
import Foundation
import Store

/// The demo tenant, set up as a finance team would: its sending settings, a policy with thresholds
/// in every currency it bills in, and its book imported from CSV through the importer.
public enum DemoSetup {
    public struct Prepared: Sendable {
        public let tenantID: Int64
        /// The tenant's first admin key, which the scripted customers' ERP and mail provider use.
        public let key: String
    }

    public static func prepare(store: Store, book: DemoBook, slug: String, sender: String, smtpURL: String) async throws -> Prepared {
        let (tenant, issued) = try await store.createTenant(slug: slug, name: "Acme Tools GmbH", timeZone: "Europe/Berlin")
        try await store.withTenant(tenant.id, actor: "demo") { tenant in
            var settings = TenantSettingsChanges()
            settings.senderEmail = .set(sender)
            settings.senderName = .set("Acme Tools Accounts Receivable")
            settings.smtpURL = .set(smtpURL)
            settings.smtpSecurity = .set("none")
            settings.signature = .set("Maria Weber\nAccounts Receivable, Acme Tools GmbH\n+49 30 1234 5678")
            settings.paymentInstructions = .set(
                "Please transfer to IBAN DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX), quoting the invoice numbers.")
            _ = try await tenant.updateSettings(settings)
            _ = try await tenant.replacePolicy(document: policy)
            for (kind, csv) in [(ImportKind.customers, book.customersCSV), (.contacts, book.contactsCSV),
                                (.invoices, book.invoicesCSV), (.payments, book.paymentsCSV)] {
                _ = try await tenant.importCSV(kind, Array(csv.utf8))
            }
            for customer in book.customers where customer.persona == .keyAccount {
                guard let stored = try await tenant.customer(externalRef: customer.reference) else { continue }
                var changes = CustomerChanges()
                changes.isKeyAccount = .set(true)
                _ = try await tenant.updateCustomer(id: stored.id, changes)
            }
        }
        return Prepared(tenantID: tenant.id, key: issued.secret)
    }

    /// The standard policy with tolerances and thresholds in each of the book's currencies.
    static let policy = """
        {
          "small_balance": {"tolerance": {"EUR": "50.00", "USD": "50.00", "GBP": "40.00", "CHF": "50.00", "JPY": "7500"}},
          "escalation": {"levels": [
            {"total_overdue": {"EUR": "10000.00", "USD": "11000.00", "GBP": "8500.00", "CHF": "10000.00", "JPY": "1600000"},
             "overdue_invoices": 8, "oldest_days_overdue": 60},
            {"total_overdue": {"EUR": "30000.00", "USD": "33000.00", "GBP": "26000.00", "CHF": "30000.00", "JPY": "4800000"},
             "overdue_invoices": 15, "oldest_days_overdue": 90}
          ]},
          "owner_involvement": {
            "high_value_total": {"EUR": "25000.00", "USD": "27000.00", "GBP": "21000.00", "CHF": "25000.00", "JPY": "4000000"},
            "key_account_total": {"EUR": "10000.00", "USD": "11000.00", "GBP": "8500.00", "CHF": "10000.00", "JPY": "1600000"}
          }
        }
        """
}
