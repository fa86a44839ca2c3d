import Foundation

/// Streamable so string interpolation appends the text directly instead of going through the slower
/// generic `CustomStringConvertible` path; reasons interpolate amounts and dates on every decision.
extension Money: CustomStringConvertible, TextOutputStreamable {
    public func write<Target: TextOutputStream>(to target: inout Target) { target.write(description) }

    /// For people: `"EUR 4,250.00"`, `"JPY 1,200"`, `"EUR -5.00"`.
    public var description: String { render(grouping: true, withCode: true) }

    /// For machines: `"4250.00"` — exact, no grouping, parseable by `init(parsing:currency:)`.
    public var decimalString: String { render(grouping: false, withCode: false) }

    /// Writes the bytes once, right to left: amounts appear in every decision's reasons.
    private func render(grouping: Bool, withCode: Bool) -> String {
        let exponent = currency.minorUnitExponent
        var divisor: UInt64 = 1
        for _ in 0..<exponent { divisor *= 10 }
        var major = minorUnits.magnitude / divisor
        var fraction = minorUnits.magnitude % divisor
        var majorDigits = 1
        var probe = major
        while probe >= 10 {
            probe /= 10
            majorDigits += 1
        }
        let code = currency.code.utf8
        let length = (withCode ? code.count + 1 : 0) + (minorUnits < 0 ? 1 : 0) + majorDigits
            + (grouping ? (majorDigits - 1) / 3 : 0) + (exponent > 0 ? exponent + 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = length
            func put(_ byte: UInt8) {
                index -= 1
                buffer[index] = byte
            }
            if exponent > 0 {
                for _ in 0..<exponent {
                    put(UInt8(ascii: "0") + UInt8(fraction % 10))
                    fraction /= 10
                }
                put(UInt8(ascii: "."))
            }
            var written = 0
            repeat {
                if grouping, written > 0, written % 3 == 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "0") + UInt8(major % 10))
                major /= 10
                written += 1
            } while major > 0
            if minorUnits < 0 { put(UInt8(ascii: "-")) }
            if withCode {
                put(UInt8(ascii: " "))
                _ = buffer.initialize(fromContentsOf: code)
            }
            return length
        }
    }
}
