import Foundation
import Postgres

extension TenantStore {
    /// Adds an address the agents found for the customer (source `discovered`, unverified), or finds
    /// the contact it already is; `makePrimary` makes it the one reminders go to. Returns the contact
    /// and whether it is new. The contacts' trigger puts the customer up for review.
    public func adoptDiscoveredContact(customerID: Int64, email: String, name: String?, role: String,
                                       makePrimary: Bool) async throws -> (Contact, created: Bool) {
        let row = try await query("""
            INSERT INTO contacts (tenant_id, customer_id, name, email, role, is_primary, status, source)
            VALUES (\(tenantID), \(customerID), \(name ?? ""), \(email), \(role), \(makePrimary), 'unverified', 'discovered')
            ON CONFLICT (tenant_id, customer_id, lower(email)) DO UPDATE
               SET is_primary = contacts.is_primary OR EXCLUDED.is_primary,
                   name = CASE WHEN contacts.name = '' THEN EXCLUDED.name ELSE contacts.name END,
                   updated_at = now()
            RETURNING \(unescaped: Contact.columns), (xmax = 0)
            """)[0]
        var reader = RowReader(row)
        let contact = try Contact(&reader)
        let created: Bool = try reader.next()
        try await keepOnePrimary(contact)
        return (contact, created)
    }
}
