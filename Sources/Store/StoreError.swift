import Postgres

/// Why a store operation did not happen, in terms an API can answer with.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// No such object for this tenant (another tenant's objects do not exist either).
    case notFound(String)
    /// The request contradicts what is stored: a duplicate natural key, a state that forbids it.
    case conflict(code: String, message: String)
    /// A value the database refused (a constraint), or a rule of the domain.
    case invalid(field: String?, message: String)
    case database(PostgresError)

    init(_ error: PostgresError) {
        if error.isUniqueViolation {
            self = .conflict(code: "already_exists", message: Self.duplicateMessage(error))
        } else if error.isSerializationFailure {
            self = .conflict(code: "concurrent_update", message: "another request changed the same objects at the same time; retry")
        } else if error.isCheckViolation || error.sqlState == "22001" || error.sqlState == "22003"
                    || error.sqlState == "22007" || error.sqlState == "22008" || error.sqlState == "23502" {
            self = .invalid(field: error.column, message: error.message)
        } else if error.isForeignKeyViolation {
            self = .notFound("a referenced object does not exist")
        } else {
            self = .database(error)
        }
    }

    private static func duplicateMessage(_ error: PostgresError) -> String {
        switch error.constraint {
        case "customers_tenant_id_external_ref_key": "a customer with this external_ref already exists"
        case "invoices_tenant_id_number_key": "an invoice with this number already exists"
        case "contacts_customer_email": "this customer already has a contact with this email"
        case "payments_reference": "a payment with this reference already exists"
        case "tenants_slug_key": "a tenant with this slug already exists"
        default: "this object already exists"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let what): what
        case .conflict(_, let message): message
        case .invalid(let field, let message): field.map { "\($0): \(message)" } ?? message
        case .database(let error): error.description
        }
    }
}
