import Dunning
import Postgres

extension TenantStore {
    /// Checks a whole CSV file, then applies it in this transaction as an upsert by natural keys
    /// (customer external_ref, contact email per customer, invoice number, payment reference).
    /// A file with any bad row is refused whole with every problem listed (`ImportRejected`).
    public func importCSV(_ kind: ImportKind, _ bytes: [UInt8], progress: ImportProgress? = nil) async throws -> ImportSummary {
        var table = try ImportTable(kind: kind, bytes: bytes)
        switch kind {
        case .customers: return try await importCustomers(&table, progress)
        case .contacts: return try await importContacts(&table, progress)
        case .invoices: return try await importInvoices(&table, progress)
        case .payments: return try await importPayments(&table, progress)
        }
    }

    static let importBatchSize = 10_000

    /// Customer ids by external reference, for the references a file names.
    private func customerIDs(_ refs: [String]) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try await query("""
            SELECT external_ref, id FROM customers WHERE tenant_id = \(tenantID) AND external_ref = ANY(\(Array(Set(refs))))
            """) {
            let (ref, id) = try row.decode((String, Int64).self)
            ids[ref] = id
        }
        return ids
    }

    private func resolveCustomers<Row>(_ rows: [(CSVRecord, Row)], ref: (Row) -> String, table: inout ImportTable) async throws -> [String: Int64] {
        let ids = try await customerIDs(rows.map { ref($0.1) })
        for (record, row) in rows where ids[ref(row)] == nil {
            table.problem(record, "customer_ref", "no customer has external_ref \"\(ref(row))\"")
        }
        return ids
    }

    private func finish(_ table: ImportTable) throws(ImportRejected) {
        if !table.problems.isEmpty {
            throw ImportRejected(problems: table.problems.sorted { ($0.line, $0.column ?? "") < ($1.line, $1.column ?? "") })
        }
    }

    private func summary(_ kind: ImportKind, rows: Int, created: Int, updated: Int) async throws -> ImportSummary {
        try await audit(action: "import.\(kind.rawValue)", customerID: nil,
                        details: ["rows": String(rows), "created": String(created), "updated": String(updated)])
        return ImportSummary(kind: kind, rows: rows, created: created, updated: updated)
    }

    // MARK: - Customers

    private struct CustomerRow {
        var externalRef: String
        var name: String
        var currency: String
        var timeZone: String?
        var language: String?
        var accountOwnerEmail: String?
    }

    private func importCustomers(_ table: inout ImportTable, _ progress: ImportProgress?) async throws -> ImportSummary {
        var rows: [CustomerRow] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let ref = table.required(record, "external_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }
            let name = table.required(record, "name") { FieldRules.text($0, minimum: 1, maximum: 500) }
            let currency = table.required(record, "currency", FieldRules.currency)
            let timeZone = table.optional(record, "timezone", FieldRules.timeZone)
            let language = table.optional(record, "language", FieldRules.language)
            let owner = table.optional(record, "account_owner_email", FieldRules.email)
            if let ref { table.unique(record, "external_ref", key: ref, seen: &seen) }
            if let ref, let name, let currency, let timeZone, let language, let owner {
                rows.append(CustomerRow(externalRef: ref, name: name, currency: currency, timeZone: timeZone, language: language,
                                        accountOwnerEmail: owner))
            }
        }
        try finish(table)
        var created = 0, updated = 0
        for start in stride(from: 0, to: rows.count, by: Self.importBatchSize) {
            let batch = rows[start..<min(start + Self.importBatchSize, rows.count)]
            let row = try await query("""
                WITH input AS (
                    SELECT * FROM unnest(\(batch.map(\.externalRef))::text[], \(batch.map(\.name))::text[], \(batch.map(\.currency))::text[],
                                         \(batch.map(\.timeZone))::text[], \(batch.map(\.language))::text[],
                                         \(batch.map(\.accountOwnerEmail))::text[])
                           AS r(external_ref, name, currency, time_zone, language, account_owner_email)
                ), updated AS (
                    UPDATE customers c
                       SET name = r.name, currency = r.currency, time_zone = COALESCE(r.time_zone, c.time_zone),
                           language = COALESCE(r.language, c.language),
                           account_owner_email = COALESCE(r.account_owner_email, c.account_owner_email),
                           updated_at = now(), next_review_at = LEAST(c.next_review_at, now())
                      FROM input r
                     WHERE c.tenant_id = \(tenantID) AND c.external_ref = r.external_ref
                       AND (c.name, c.currency, c.time_zone, c.language, c.account_owner_email)
                           IS DISTINCT FROM (r.name, r.currency, COALESCE(r.time_zone, c.time_zone), COALESCE(r.language, c.language),
                                             COALESCE(r.account_owner_email, c.account_owner_email))
                    RETURNING 1
                ), inserted AS (
                    INSERT INTO customers (tenant_id, external_ref, name, currency, time_zone, language, account_owner_email)
                    SELECT \(tenantID), r.external_ref, r.name, r.currency, COALESCE(r.time_zone, 'UTC'), COALESCE(r.language, 'en'),
                           r.account_owner_email
                      FROM input r
                     WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.tenant_id = \(tenantID) AND c.external_ref = r.external_ref)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated)
                """)[0]
            let (inserted, changed) = try row.decode((Int, Int).self)
            created += inserted
            updated += changed
            progress?(start + batch.count, rows.count)
        }
        return try await summary(.customers, rows: rows.count, created: created, updated: updated)
    }

    // MARK: - Contacts

    private struct ContactRow {
        var customerRef: String
        var name: String?
        var email: String
        var role: String?
        var isPrimary: Bool?
    }

    private func importContacts(_ table: inout ImportTable, _ progress: ImportProgress?) async throws -> ImportSummary {
        var parsed: [(CSVRecord, ContactRow)] = []
        var seen: [String: Int] = [:]
        var primaries: [String: Int] = [:]
        for record in table.records {
            let ref = table.required(record, "customer_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }
            let name = table.optional(record, "name") { FieldRules.text($0, maximum: 500) }
            let email = table.required(record, "email", FieldRules.email)
            let role = table.optional(record, "role", FieldRules.contactRole)
            let primaryText = table.value(record, "is_primary").lowercased()
            var isPrimary: Bool?? = .some(nil)
            switch primaryText {
            case "": break
            case "true", "yes", "1": isPrimary = .some(true)
            case "false", "no", "0": isPrimary = .some(false)
            default:
                table.problem(record, "is_primary", "\"\(primaryText)\" is not true or false")
                isPrimary = nil
            }
            if let ref, let email {
                table.unique(record, "email", key: ref + "\u{0}" + email.lowercased(), seen: &seen)
                if isPrimary == .some(true) { table.unique(record, "is_primary", key: ref, seen: &primaries) }
            }
            if let ref, let name, let email, let role, let isPrimary {
                parsed.append((record, ContactRow(customerRef: ref, name: name, email: email, role: role, isPrimary: isPrimary)))
            }
        }
        let customers = try await resolveCustomers(parsed, ref: \.customerRef, table: &table)
        try finish(table)
        let rows = parsed.map(\.1)
        var created = 0, updated = 0
        for start in stride(from: 0, to: rows.count, by: Self.importBatchSize) {
            let batch = rows[start..<min(start + Self.importBatchSize, rows.count)]
            let customerIDs = batch.map { customers[$0.customerRef]! }
            let row = try await query("""
                WITH input AS (
                    SELECT * FROM unnest(\(customerIDs)::bigint[], \(batch.map(\.name))::text[], \(batch.map(\.email))::text[],
                                         \(batch.map(\.role))::text[], \(batch.map(\.isPrimary))::boolean[])
                           AS r(customer_id, name, email, role, is_primary)
                ), updated AS (
                    UPDATE contacts c
                       SET name = COALESCE(r.name, c.name), email = r.email, role = COALESCE(r.role, c.role),
                           is_primary = COALESCE(r.is_primary, c.is_primary), updated_at = now()
                      FROM input r
                     WHERE c.tenant_id = \(tenantID) AND c.customer_id = r.customer_id AND lower(c.email) = lower(r.email)
                       AND (c.name, c.email, c.role, c.is_primary)
                           IS DISTINCT FROM (COALESCE(r.name, c.name), r.email, COALESCE(r.role, c.role), COALESCE(r.is_primary, c.is_primary))
                    RETURNING 1
                ), inserted AS (
                    INSERT INTO contacts (tenant_id, customer_id, name, email, role, is_primary, source)
                    SELECT \(tenantID), r.customer_id, COALESCE(r.name, ''), r.email, COALESCE(r.role, 'billing'),
                           COALESCE(r.is_primary, false), 'import'
                      FROM input r
                     WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.tenant_id = \(tenantID) AND c.customer_id = r.customer_id
                                          AND lower(c.email) = lower(r.email))
                    RETURNING 1
                ), demoted AS (
                    UPDATE contacts c SET is_primary = false, updated_at = now()
                      FROM input r
                     WHERE r.is_primary AND c.tenant_id = \(tenantID) AND c.customer_id = r.customer_id
                       AND lower(c.email) <> lower(r.email) AND c.is_primary
                    RETURNING 1
                ), reviewed AS (
                    UPDATE customers c SET next_review_at = now()
                     WHERE c.tenant_id = \(tenantID) AND c.id = ANY(\(Array(Set(customerIDs)))) AND c.next_review_at > now()
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated), (SELECT count(*) FROM demoted),
                       (SELECT count(*) FROM reviewed)
                """)[0]
            let (inserted, changed) = try row.decode((Int, Int).self)
            created += inserted
            updated += changed
            progress?(start + batch.count, rows.count)
        }
        return try await summary(.contacts, rows: rows.count, created: created, updated: updated)
    }

    // MARK: - Invoices

    private struct InvoiceRow {
        var customerRef: String
        var number: String
        var issuedOn: CalendarDate
        var dueOn: CalendarDate
        var amount: Int64
        var currency: String
        var openAmount: Int64?
    }

    private func importInvoices(_ table: inout ImportTable, _ progress: ImportProgress?) async throws -> ImportSummary {
        var parsed: [(CSVRecord, InvoiceRow)] = []
        parsed.reserveCapacity(table.records.count)
        var seen: [String: Int] = [:]
        for record in table.records {
            let ref = table.required(record, "customer_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }
            let number = table.required(record, "number") { FieldRules.text($0, minimum: 1, maximum: 100) }
            let issuedOn = table.date(record, "issued_on")
            let dueOn = table.date(record, "due_on")
            let currency = table.required(record, "currency", FieldRules.currency)
            let amount = table.amount(record, "amount", currency: currency, allowZero: true)
            var openAmount: Int64?? = .some(nil)
            if !table.value(record, "open_amount").isEmpty {
                openAmount = table.amount(record, "open_amount", currency: currency, allowZero: true).map { .some($0) }
            }
            if let issuedOn, let dueOn, dueOn < issuedOn {
                table.problem(record, "due_on", "is before issued_on")
            }
            if let amount, let open = openAmount ?? nil, open > amount {
                table.problem(record, "open_amount", "is more than the amount")
            }
            if let number { table.unique(record, "number", key: number, seen: &seen) }
            if let ref, let number, let issuedOn, let dueOn, let currency, let amount, let openAmount {
                parsed.append((record, InvoiceRow(customerRef: ref, number: number, issuedOn: issuedOn, dueOn: dueOn,
                                                  amount: amount, currency: currency, openAmount: openAmount)))
            }
        }
        let customers = try await resolveCustomers(parsed, ref: \.customerRef, table: &table)
        try finish(table)
        let rows = parsed.map(\.1)
        var created = 0, updated = 0
        for start in stride(from: 0, to: rows.count, by: Self.importBatchSize) {
            let batch = rows[start..<min(start + Self.importBatchSize, rows.count)]
            // A blank open_amount keeps what was already paid as paid: open = amount - paid so far.
            let row = try await query("""
                WITH input AS (
                    SELECT * FROM unnest(\(batch.map { customers[$0.customerRef]! })::bigint[], \(batch.map(\.number))::text[],
                                         \(batch.map(\.issuedOn.postgres))::date[], \(batch.map(\.dueOn.postgres))::date[],
                                         \(batch.map(\.amount))::bigint[], \(batch.map(\.openAmount))::bigint[], \(batch.map(\.currency))::text[])
                           AS r(customer_id, number, issued_on, due_on, amount, open_amount, currency)
                ), next AS (
                    SELECT i.id, r.*,
                           COALESCE(r.open_amount, GREATEST(0, r.amount - (i.amount - i.open_amount))) AS new_open,
                           i.status AS old_status
                      FROM input r JOIN invoices i ON i.tenant_id = \(tenantID) AND i.number = r.number
                ), updated AS (
                    UPDATE invoices i
                       SET customer_id = n.customer_id, issued_on = n.issued_on, due_on = n.due_on, amount = n.amount,
                           open_amount = n.new_open, currency = n.currency,
                           status = CASE WHEN n.old_status IN ('disputed', 'void', 'written_off') THEN n.old_status
                                         WHEN n.new_open = 0 THEN 'paid' ELSE 'open' END,
                           updated_at = now()
                      FROM next n
                     WHERE i.tenant_id = \(tenantID) AND i.id = n.id
                       AND (i.customer_id, i.issued_on, i.due_on, i.amount, i.open_amount, i.currency)
                           IS DISTINCT FROM (n.customer_id, n.issued_on, n.due_on, n.amount, n.new_open, n.currency)
                    RETURNING 1
                ), inserted AS (
                    INSERT INTO invoices (tenant_id, customer_id, number, issued_on, due_on, amount, open_amount, currency, status)
                    SELECT \(tenantID), r.customer_id, r.number, r.issued_on, r.due_on, r.amount, COALESCE(r.open_amount, r.amount),
                           r.currency, CASE WHEN COALESCE(r.open_amount, r.amount) = 0 THEN 'paid' ELSE 'open' END
                      FROM input r
                     WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = \(tenantID) AND i.number = r.number)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM updated)
                """)[0]
            let (inserted, changed) = try row.decode((Int, Int).self)
            created += inserted
            updated += changed
            progress?(start + batch.count, rows.count)
        }
        return try await summary(.invoices, rows: rows.count, created: created, updated: updated)
    }

    // MARK: - Payments

    private struct PaymentRow {
        var customerRef: String
        var invoiceNumber: String?
        var amount: Int64
        var currency: String
        var receivedOn: CalendarDate
        var reference: String
    }

    /// Payments are applied one by one: each is spread over invoices, which the next may then find paid.
    private func importPayments(_ table: inout ImportTable, _ progress: ImportProgress?) async throws -> ImportSummary {
        var parsed: [(CSVRecord, PaymentRow)] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            let ref = table.required(record, "customer_ref") { FieldRules.text($0, minimum: 1, maximum: 200) }
            let invoiceNumber = table.optional(record, "invoice_number") { FieldRules.text($0, minimum: 1, maximum: 100) }
            let currency = table.required(record, "currency", FieldRules.currency)
            let amount = table.amount(record, "amount", currency: currency, allowZero: false)
            let receivedOn = table.date(record, "received_on")
            let reference: String?
            if table.value(record, "reference").isEmpty {
                table.problem(record, "reference", "is required, so that importing the file again does not record the payment twice")
                reference = nil
            } else {
                reference = table.required(record, "reference") { FieldRules.text($0, minimum: 1, maximum: 200) }
            }
            if let reference { table.unique(record, "reference", key: reference, seen: &seen) }
            if let ref, let invoiceNumber, let currency, let amount, let receivedOn, let reference {
                parsed.append((record, PaymentRow(customerRef: ref, invoiceNumber: invoiceNumber, amount: amount, currency: currency,
                                                  receivedOn: receivedOn, reference: reference)))
            }
        }
        let customers = try await resolveCustomers(parsed, ref: \.customerRef, table: &table)
        var invoices: [String: (id: Int64, customerID: Int64, currency: String)] = [:]
        let numbers = Array(Set(parsed.compactMap(\.1.invoiceNumber)))
        for row in try await query("""
            SELECT number, id, customer_id, currency FROM invoices WHERE tenant_id = \(tenantID) AND number = ANY(\(numbers))
            """) {
            let (number, id, customerID, currency) = try row.decode((String, Int64, Int64, String).self)
            invoices[number] = (id, customerID, currency)
        }
        for (record, row) in parsed {
            guard let number = row.invoiceNumber, let customerID = customers[row.customerRef] else { continue }
            guard let invoice = invoices[number] else {
                table.problem(record, "invoice_number", "no invoice has number \"\(number)\"")
                continue
            }
            if invoice.customerID != customerID {
                table.problem(record, "invoice_number", "invoice \"\(number)\" belongs to another customer")
            } else if invoice.currency != row.currency {
                table.problem(record, "currency", "invoice \"\(number)\" is in \(invoice.currency)")
            }
        }
        try finish(table)
        var created = 0, updated = 0
        var stored: [String: (customerID: Int64, amount: Int64, currency: String, receivedOn: PostgresDate)] = [:]
        for row in try await query("""
            SELECT reference, customer_id, amount, currency, received_on FROM payments
             WHERE tenant_id = \(tenantID) AND reference = ANY(\(parsed.map(\.1.reference)))
            """) {
            let (reference, customerID, amount, currency, receivedOn) = try row.decode((String, Int64, Int64, String, PostgresDate).self)
            stored[reference] = (customerID, amount, currency, receivedOn)
        }
        for (index, (_, row)) in parsed.enumerated() {
            let customerID = customers[row.customerRef]!
            let known = stored[row.reference]
            let isUnchanged = known.map {
                $0.customerID == customerID && $0.amount == row.amount && $0.currency == row.currency
                    && $0.receivedOn == row.receivedOn.postgres
            } ?? false
            if !isUnchanged {
                let allocation: AllocationPlan = row.invoiceNumber.map { .toInvoice(invoices[$0]!.id) } ?? .oldestDueFirst
                let payment = NewPayment(customerID: customerID, amount: row.amount, currency: row.currency, receivedOn: row.receivedOn,
                                         reference: row.reference, allocation: allocation)
                if let (_, wasCreated) = try await upsertPayment(payment, audited: false) {
                    if wasCreated { created += 1 } else { updated += 1 }
                }
            }
            if (index + 1) % 1000 == 0 || index + 1 == parsed.count { progress?(index + 1, parsed.count) }
        }
        return try await summary(.payments, rows: parsed.count, created: created, updated: updated)
    }
}
