import Foundation

/// An amount of money: integer minor units (cents for EUR, yen for JPY) and a currency. Never floating point.
public struct Money: Hashable, Sendable {
    public let minorUnits: Int64
    public let currency: CurrencyCode

    public init(minorUnits: Int64, currency: CurrencyCode) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Traps on a currency mismatch (a programming error) and on overflow, like integer `+`.
    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "cannot add \(lhs.currency) to \(rhs.currency)")
        return Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "cannot subtract \(rhs.currency) from \(lhs.currency)")
        return Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    /// Saturates instead of trapping: a corrupt balance must not stop a review of a million customers.
    public func saturatingAdding(_ other: Money) -> Money {
        precondition(currency == other.currency, "cannot add \(other.currency) to \(currency)")
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        let result = overflow ? (other.minorUnits < 0 ? Int64.min : Int64.max) : sum
        return Money(minorUnits: result, currency: currency)
    }

    /// Saturating, for the same reason as `saturatingAdding`.
    public func saturatingMultiplied(by factor: Int) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(factor))
        let negative = (minorUnits < 0) != (factor < 0)
        return Money(minorUnits: overflow ? (negative ? Int64.min : Int64.max) : product, currency: currency)
    }
}

/// JSON shape: `{"amount": "1234.50", "currency": "EUR"}` — an exact decimal string, never a float.
extension Money: Codable {
    private enum CodingKeys: String, CodingKey {
        case amount, currency
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try container.decode(CurrencyCode.self, forKey: .currency)
        let text = try container.decode(String.self, forKey: .amount)
        do {
            self = try Money(parsing: text, currency: currency, allowingNegative: true)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .amount, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(decimalString, forKey: .amount)
        try container.encode(currency, forKey: .currency)
    }
}
