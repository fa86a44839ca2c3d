/// Lowercases and strips diacritics, so "März", "MARZ" and "marz" compare equal. Patterns are
/// folded the same way when compiled, so they can be written with their accents.
enum Folding {
    static func fold(_ text: some StringProtocol) -> String {
        // Most text is ASCII: lowercase the bytes directly.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { append(scalar, to: &output) }
        return output
    }

    static func append(_ scalar: Unicode.Scalar, to output: inout String) {
        let value = scalar.value
        if value < 0x80 {
            output.unicodeScalars.append(value >= 65 && value <= 90 ? Unicode.Scalar(value + 32)! : scalar)
            return
        }
        // Combining marks of decomposed text carry only the accent.
        if (0x0300...0x036F).contains(value) { return }
        if let mapped = latinFolds[value] {
            output += mapped
            return
        }
        for lower in scalar.properties.lowercaseMapping.unicodeScalars { output.unicodeScalars.append(lower) }
    }

    private static let latinFolds: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("ÀÁÂÃÄÅĀĂĄ", "a"), ("çćĉċč", "c"), ("ÇĆĈĊČ", "c"), ("ďđ", "d"), ("ĎĐ", "d"),
            ("èéêëēĕėęě", "e"), ("ÈÉÊËĒĔĖĘĚ", "e"), ("ìíîïĩīĭįı", "i"), ("ÌÍÎÏĨĪĬĮİ", "i"), ("ñńņňŉ", "n"),
            ("ÑŃŅŇ", "n"), ("òóôõöøōŏő", "o"), ("ÒÓÔÕÖØŌŎŐ", "o"), ("ùúûüũūŭůűų", "u"), ("ÙÚÛÜŨŪŬŮŰŲ", "u"),
            ("ýÿŷ", "y"), ("ÝŸŶ", "y"), ("śŝşšș", "s"), ("ŚŜŞŠȘ", "s"), ("źżž", "z"), ("ŹŻŽ", "z"),
            ("ťţț", "t"), ("ŤŢȚ", "t"), ("ĺļľŀł", "l"), ("ĹĻĽĿŁ", "l"), ("ŕŗř", "r"), ("ŔŖŘ", "r"),
            ("ĝğġģ", "g"), ("ĜĞĠĢ", "g"), ("ĥħ", "h"), ("ĤĦ", "h"), ("ĵ", "j"), ("Ĵ", "j"), ("ķ", "k"), ("Ķ", "k"),
            ("ŵ", "w"), ("Ŵ", "w"),
        ]
        for (letters, base) in groups {
            for scalar in letters.unicodeScalars { table[scalar.value] = base }
        }
        table[0x00DF] = "ss"  // ß
        table[0x1E9E] = "ss"  // ẞ
        for (scalar, text) in [("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe")] {
            table[Unicode.Scalar(scalar)!.value] = text
        }
        return table
    }()
}
