import Store
import Testing

/// The comparison behind API keys, the operator key, idempotency hashes and inbound secrets: it
/// must answer exactly like `==` on bytes, whatever the length or the place of a difference.
@Suite struct KeyComparisonTests {
    static let key: [UInt8] = Array("ark_abcdefghijkm_0123456789abcdefghijkmnpqrstuvw".utf8)

    @Test func equalBytesAreEqual() {
        #expect(constantTimeEqual(Self.key, Self.key))
        #expect(constantTimeEqual([UInt8](), [UInt8]()))
    }

    @Test func aDifferenceAtTheFirstOrTheLastByteIsUnequal() {
        var first = Self.key
        first[0] ^= 1
        var last = Self.key
        last[last.count - 1] ^= 0x80
        #expect(!constantTimeEqual(Self.key, first))
        #expect(!constantTimeEqual(Self.key, last))
        #expect(!constantTimeEqual(last, Self.key))
    }

    @Test func differentLengthsAreUnequal() {
        #expect(!constantTimeEqual(Self.key, Self.key.dropLast()))
        #expect(!constantTimeEqual(Self.key.dropLast(), Self.key))
        #expect(!constantTimeEqual(Self.key, Self.key + [0]), "a longer key that starts with the right one")
        #expect(!constantTimeEqual(Self.key, [UInt8]()))
    }
}
