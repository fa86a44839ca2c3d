/// Turns bytes in a declared charset into text.
///
/// Mail in the wild mislabels its charset often, so unknown labels fall back to UTF-8 when the
/// bytes are valid UTF-8 and to Windows-1252 otherwise (a superset of Latin-1 in practice).
enum Charset {
    static func decode(_ bytes: some Collection<UInt8>, charset label: String?) -> String {
        switch normalized(label) {
        case "utf-8", "utf8":
            return decodeUTF8(bytes)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819":
            // Declared Latin-1 is usually Windows-1252 (curly quotes, €), which is a superset.
            return decodeWindows1252(bytes)
        case "iso-8859-15", "iso8859-15", "latin-9", "latin9":
            return String(String.UnicodeScalarView(bytes.map(latin9Scalar)))
        case "windows-1252", "cp1252", "x-cp1252", "ms-ansi":
            return decodeWindows1252(bytes)
        default:
            return decodeUnknown(bytes)
        }
    }

    /// Valid UTF-8 stays UTF-8; anything else is read as Windows-1252.
    static func decodeUnknown(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return stripBOM(text) }
        return decodeWindows1252(bytes)
    }

    private static func decodeUTF8(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return stripBOM(text) }
        // Mislabelled 8-bit text is more useful read as Windows-1252 than full of U+FFFD.
        return decodeWindows1252(bytes)
    }

    private static func stripBOM(_ text: String) -> String {
        text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    private static func normalized(_ label: String?) -> String {
        guard let label else { return "" }
        var value = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
            value = String(value.dropFirst().dropLast())
        }
        if value == "us-ascii" || value == "ascii" || value == "ansi_x3.4-1968" || value.isEmpty {
            // 8-bit bytes in "ASCII" text are almost always UTF-8 sent without a label.
            return "unknown"
        }
        return value
    }

    private static func decodeWindows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(windows1252Scalar(byte)) }
        return String(scalars)
    }

    private static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        return Unicode.Scalar(windows1252High[Int(byte - 0x80)]) ?? Unicode.Scalar(byte)
    }

    private static func latin9Scalar(_ byte: UInt8) -> Unicode.Scalar {
        let value: UInt32 = switch byte {
        case 0xA4: 0x20AC
        case 0xA6: 0x0160
        case 0xA8: 0x0161
        case 0xB4: 0x017D
        case 0xB8: 0x017E
        case 0xBC: 0x0152
        case 0xBD: 0x0153
        case 0xBE: 0x0178
        default: UInt32(byte)
        }
        return Unicode.Scalar(value) ?? Unicode.Scalar(byte)
    }

    /// Code points for bytes 0x80–0x9F; undefined positions map to the C1 control of the same value.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
