import Foundation

/// Why a decimal string is not an amount; `description` is a sentence a finance user can act on.
public enum MoneyParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case negativeNotAllowed(String)
    case separator(String)
    case invalidCharacter(Character, in: String)
    case missingDigits(String)
    case tooManyDecimals(String, currency: CurrencyCode, found: Int)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .empty:
            return "an amount is required"
        case .negativeNotAllowed(let text):
            return "\"\(text)\" is negative; only zero or positive amounts are allowed here"
        case .separator(let text):
            return "\"\(text)\" contains a comma or space; write digits with a point for decimals "
                + "and no thousands separators, like 1234.56"
        case .invalidCharacter(let character, let text):
            return "\"\(text)\" contains \"\(character)\"; write digits with a point for decimals, like 1234.56"
        case .missingDigits(let text):
            return "\"\(text)\" needs digits before and after the decimal point, like 0.50"
        case .tooManyDecimals(let text, let currency, let found):
            if currency.minorUnitExponent == 0 {
                return "\"\(text)\" has a decimal point but \(currency) has no minor unit; write a whole amount"
            }
            return "\"\(text)\" has \(found) decimals but \(currency) allows at most \(currency.minorUnitExponent)"
        case .outOfRange(let text):
            return "\"\(text)\" is too large"
        }
    }
}

extension Money {
    /// Parses an exact decimal amount in major units: `"1234.5"` EUR is 123450 minor units, `"1200"` JPY is 1200.
    ///
    /// Grammar: `-?DIGITS(.DIGITS)?` with at most as many decimals as the currency has. Thousands separators
    /// are rejected rather than guessed, because `1,234` and `1.234` each mean a thousand in some locale and a
    /// fraction in another. For the same reason extra trailing zeros (`"1.000"` EUR) are rejected too.
    public init(parsing text: String, currency: CurrencyCode, allowingNegative: Bool = false) throws(MoneyParseError) {
        var bytes = Substring(text).utf8[...]
        guard !bytes.isEmpty else { throw .empty }
        let negative = bytes.first == UInt8(ascii: "-")
        if negative {
            guard allowingNegative else { throw .negativeNotAllowed(text) }
            bytes = bytes.dropFirst()
        }
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var magnitude: Int64 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= currency.minorUnitExponent else {
                        throw .tooManyDecimals(text, currency: currency, found: Self.decimals(in: text))
                    }
                } else {
                    integerDigits += 1
                }
                let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflowA, !overflowB else { throw .outOfRange(text) }
                magnitude = next
            case UInt8(ascii: "."):
                guard !seenPoint else { throw .invalidCharacter(".", in: text) }
                if currency.minorUnitExponent == 0 {
                    throw .tooManyDecimals(text, currency: currency, found: Self.decimals(in: text))
                }
                seenPoint = true
            case UInt8(ascii: ","), UInt8(ascii: " "):
                throw .separator(text)
            default:
                let offending = text.first { !("0"..."9").contains($0) && $0 != "." && $0 != "-" }
                throw .invalidCharacter(offending ?? "-", in: text)
            }
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else { throw .missingDigits(text) }
        for _ in fractionDigits..<currency.minorUnitExponent {
            let (scaled, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .outOfRange(text) }
            magnitude = scaled
        }
        self.init(minorUnits: negative ? -magnitude : magnitude, currency: currency)
    }

    private static func decimals(in text: String) -> Int {
        guard let point = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: point)...].count
    }
}
