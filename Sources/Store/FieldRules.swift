import Dunning
import Foundation

/// The rules for values the domain stores, shared by the API and the CSV import so both refuse
/// the same things with the same words. Each returns why a value is refused, or nil.
public enum FieldRules {
    public static let maximumAmount: Int64 = 1_000_000_000_000_000

    public static func text(_ value: String, minimum: Int = 0, maximum: Int) -> String? {
        if value.utf8.contains(0) { return "must not contain NUL characters" }
        let count = value.count
        if count < minimum { return minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters" }
        if count > maximum { return "must be at most \(maximum) characters" }
        return nil
    }

    /// A tenant's short name in URLs and commands, by the rule of the tenants table (0001).
    public static func tenantSlug(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        func letterOrDigit(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        let valid = (2...63).contains(bytes.count) && letterOrDigit(bytes[0])
            && bytes.allSatisfy { letterOrDigit($0) || $0 == UInt8(ascii: "-") }
        return valid ? nil : "\"\(value)\" is not a tenant slug; use 2 to 63 lower-case letters, digits and -, starting with a letter or digit"
    }

    public static func currency(_ value: String) -> String? {
        CurrencyCode(code: value) == nil ? "\"\(value)\" is not a currency code; use three capital letters such as EUR" : nil
    }

    public static func timeZone(_ value: String) -> String? {
        if text(value, minimum: 1, maximum: 64) != nil || TimeZone(identifier: value) == nil {
            return "\"\(value)\" is not a time zone; use an IANA name such as Europe/Berlin"
        }
        return nil
    }

    public static func language(_ value: String) -> String? {
        let bytes = Array(value.utf8)
        func lower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
        func upper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
        let valid = (bytes.count == 2 && lower(bytes[0]) && lower(bytes[1]))
            || (bytes.count == 5 && lower(bytes[0]) && lower(bytes[1]) && bytes[2] == UInt8(ascii: "-") && upper(bytes[3]) && upper(bytes[4]))
        return valid ? nil : "\"\(value)\" is not a language; use a code such as en or de-CH"
    }

    public static func email(_ value: String) -> String? {
        if let problem = text(value, minimum: 3, maximum: 254) { return problem }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !value.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
        return valid ? nil : "\"\(value)\" is not an email address"
    }

    public static func contactRole(_ value: String) -> String? {
        let valid = (1...32).contains(value.utf8.count)
            && value.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") }
        return valid ? nil : "\"\(value)\" is not a role; use lower-case letters and _, such as billing or accounts_payable"
    }

    public static func amount(_ value: Int64, allowZero: Bool) -> String? {
        if value < 0 || (!allowZero && value == 0) { return allowZero ? "must not be negative" : "must be positive" }
        if value > maximumAmount { return "must be at most \(maximumAmount) minor units" }
        return nil
    }

    /// A decimal amount in major units, converted by the currency's exponent (JPY has none).
    public static func parseAmount(_ text: String, currency: String, allowZero: Bool) -> Result<Int64, FieldProblem> {
        guard let code = CurrencyCode(code: currency) else {
            return .failure(FieldProblem("cannot be read without a valid currency"))
        }
        do {
            let money = try Money(parsing: text, currency: code)
            if let problem = amount(money.minorUnits, allowZero: allowZero) { return .failure(FieldProblem(problem)) }
            return .success(money.minorUnits)
        } catch {
            return .failure(FieldProblem(error.description))
        }
    }
}

public struct FieldProblem: Error, Sendable, Hashable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
