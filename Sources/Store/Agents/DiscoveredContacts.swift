import Foundation
import Postgres

extension TenantStore {
    /// Adds an address the agents found for the customer (source `discovered`), or finds the contact
    /// it already is. Applied, it is the primary contact and reminders go to it from now on;
    /// otherwise it is only proposed (`proposed`), and nobody writes to it until a person approves
    /// it. Applying an address that waits for approval approves it; proposing one that exists
    /// changes nothing. Returns the contact and whether it is new. The contacts' trigger puts the
    /// customer up for review.
    public func adoptDiscoveredContact(customerID: Int64, email: String, name: String?, role: String,
                                       apply: Bool) async throws -> (Contact, created: Bool) {
        let status = apply ? "unverified" : "proposed"
        let row = try await query("""
            INSERT INTO contacts (tenant_id, customer_id, name, email, role, is_primary, status, source)
            VALUES (\(tenantID), \(customerID), \(name ?? ""), \(email), \(role), \(apply), \(status), 'discovered')
            ON CONFLICT (tenant_id, customer_id, lower(email)) DO UPDATE
               SET is_primary = contacts.is_primary OR EXCLUDED.is_primary,
                   status = CASE WHEN contacts.status = 'proposed' THEN EXCLUDED.status ELSE contacts.status END,
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
