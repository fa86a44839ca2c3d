import Foundation

/// At most one amount per currency, for per-currency policy thresholds.
/// JSON shape: `{"EUR": "50.00", "JPY": "7000"}`, each amount written in that currency's decimals.
public struct CurrencyAmounts: Hashable, Sendable {
    /// Sorted by currency; a handful of entries, so a linear scan beats hashing.
    public private(set) var amounts: [Money]

    /// A later amount in the same currency replaces an earlier one.
    public init(_ amounts: [Money] = []) {
        var unique: [Money] = []
        for amount in amounts {
            unique.removeAll { $0.currency == amount.currency }
            unique.append(amount)
        }
        self.amounts = unique.sorted { $0.currency < $1.currency }
    }

    public subscript(currency: CurrencyCode) -> Money? {
        for amount in amounts where amount.currency == currency { return amount }
        return nil
    }

    public var isEmpty: Bool { amounts.isEmpty }
}

extension CurrencyAmounts: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for amount in amounts {
            try container.encode(amount.decimalString, forKey: AnyCodingKey(amount.currency.code))
        }
    }
}

/// Sums per currency; the few currencies a customer has make a small array faster than a dictionary.
struct CurrencyTotals {
    private(set) var totals: [Money] = []

    mutating func add(_ amount: Money) {
        for index in totals.indices where totals[index].currency == amount.currency {
            totals[index] = totals[index].saturatingAdding(amount)
            return
        }
        totals.append(amount)
    }

    var sorted: [Money] { totals.count < 2 ? totals : totals.sorted { $0.currency < $1.currency } }
}

/// A coding key for keys only known at run time (currency codes, unknown keys in a policy document).
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
