/// The four kinds of file `arrears import` and `POST /v1/imports/{kind}` take.
public enum ImportKind: String, Sendable, CaseIterable {
    case customers, contacts, invoices, payments

    /// The header a file must have, in any order; optional columns may be left out.
    public var columns: [String] {
        switch self {
        case .customers: ["external_ref", "name", "currency", "timezone", "language", "account_owner_email"]
        case .contacts: ["customer_ref", "name", "email", "role", "is_primary"]
        case .invoices: ["customer_ref", "number", "issued_on", "due_on", "amount", "currency", "open_amount"]
        case .payments: ["customer_ref", "invoice_number", "amount", "currency", "received_on", "reference"]
        }
    }

    public var optionalColumns: Set<String> {
        self == .invoices ? ["open_amount"] : []
    }
}

/// One thing wrong with a file: where, and what to do about it.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    /// nil when the problem is the whole line (a missing column, a syntax error).
    public var column: String?
    public var reason: String

    public init(line: Int, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "line \(line)\(column.map { ", column \($0)" } ?? ""): \(reason)"
    }
}

/// A file was refused whole; nothing of it was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]

    public var description: String {
        "the file was not imported; \(problems.count) problem(s):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

public struct ImportSummary: Sendable, Hashable {
    public var kind: ImportKind
    public var rows: Int
    public var created: Int
    public var updated: Int
    /// Rows identical to what was stored: re-importing a file changes nothing.
    public var unchanged: Int { rows - created - updated }
}

/// Called as batches land: rows done so far, rows in all.
public typealias ImportProgress = @Sendable (_ done: Int, _ total: Int) -> Void
