import Foundation

/// An ISO 4217 alphabetic currency code such as `EUR`, with the number of decimals its minor unit has.
public struct CurrencyCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let code: String
    /// Decimals between the major and the minor unit: 2 for EUR (cents), 0 for JPY, 3 for KWD.
    public let minorUnitExponent: Int

    /// Accepts exactly three capital ASCII letters; lower case is rejected rather than guessed.
    public init?(code: String) {
        let bytes = code.utf8
        guard bytes.count == 3, bytes.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return nil
        }
        self.code = code
        self.minorUnitExponent = Self.exponent(of: code)
    }

    public var description: String { code }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.code < rhs.code }

    /// ISO 4217 minor-unit exponents that differ from the common 2.
    private static func exponent(of code: String) -> Int {
        switch code {
        case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
            "VUV", "XAF", "XOF", "XPF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            return 3
        case "CLF", "UYW":
            return 4
        default:
            return 2
        }
    }
}

extension CurrencyCode: ExpressibleByStringLiteral {
    /// For literals in code; an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        guard let code = CurrencyCode(code: value) else {
            preconditionFailure("\"\(value)\" is not an ISO 4217 currency code")
        }
        self = code
    }
}

extension CurrencyCode: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = CurrencyCode(code: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: CurrencyCode.invalidCodeMessage(text)))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }

    static func invalidCodeMessage(_ text: String) -> String {
        "\"\(text)\" is not a currency code; use three capital letters such as EUR"
    }
}
