import Foundation

/// A reply's text split into what the sender wrote now, their signature, and the quoted history.
public struct ReplyParts: Sendable, Hashable {
    /// The new text, without quoted history and without the signature.
    public var newText: String
    /// The signature block (after "-- " or a "Sent from my phone" line), if any.
    public var signature: String?
    /// The quoted earlier message(s), if any.
    public var quoted: String?

    public init(newText: String, signature: String? = nil, quoted: String? = nil) {
        self.newText = newText
        self.signature = signature
        self.quoted = quoted
    }
}

/// Finds the new part of a reply. Recognises attribution lines ("On … wrote:", "Am … schrieb …:",
/// "Le … a écrit :"), "-----Original Message-----" style separators, Outlook header blocks
/// ("From: / Sent: / Subject:", "Von: / Gesendet:", "De : / Envoyé :") and "> " quoting, both
/// top-posted and interleaved.
public enum ReplyExtractor {
    /// A line with the normalised forms the markers are tested against, computed once.
    private struct Line {
        let raw: String
        /// Without surrounding blanks; no-break spaces read as spaces.
        let trimmed: String
        let lower: String
        /// Lowercased, without the bold markers plain-text conversions leave ("*From:* …").
        let label: String
        let isQuoted: Bool

        init(_ raw: Substring) {
            self.raw = String(raw)
            // No-break spaces are rare; replace them only when present.
            let spaced = raw.utf8.contains(0xA0) ? String(raw.unicodeScalars.map { $0 == "\u{00A0}" ? " " : Character($0) }) : self.raw
            trimmed = String(spaced.trimmingBlanks())
            lower = trimmed.utf8.allSatisfy { $0 < 0x80 }
                ? String(decoding: trimmed.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
                : trimmed.lowercased()
            label = lower.utf8.contains(42) ? String(lower.filter { $0 != "*" }) : lower
            isQuoted = trimmed.utf8.first == 62
        }

        var isBlank: Bool { trimmed.isEmpty }
    }

    public static func split(_ text: String) -> ReplyParts {
        let lines = TransferEncoding.normalizedLines(text).map(Line.init)
        var kept: [Line] = []
        var quoted: [Line] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let cutLength = historyStart(lines, at: index) {
                if isInterleavedAttribution(lines, at: index, length: cutLength) {
                    quoted += lines[index..<(index + cutLength)]
                    index += cutLength
                    continue
                }
                quoted += lines[index...]
                break
            }
            if line.isQuoted {
                quoted.append(line)
            } else {
                kept.append(line)
            }
            index += 1
        }
        let (body, signature) = splitSignature(kept)
        let quotedText = trimmedBlock(quoted)
        return ReplyParts(
            newText: trimmedBlock(body),
            signature: signature.map(trimmedBlock).flatMap { $0.isEmpty ? nil : $0 },
            quoted: quotedText.isEmpty ? nil : quotedText
        )
    }

    // MARK: History markers

    /// If quoted history starts at `index`, how many lines the marker spans (1 or 2).
    private static func historyStart(_ lines: [Line], at index: Int) -> Int? {
        let line = lines[index]
        if line.isBlank { return nil }
        if isAttribution(line.lower) || isSeparator(line) || startsHeaderBlock(lines, at: index) { return 1 }
        if index + 1 < lines.count, isWrappedAttributionStart(line.lower), isAttribution(line.lower + " " + lines[index + 1].lower) {
            return 2
        }
        if line.trimmed.count >= 10, line.trimmed.allSatisfy({ $0 == "_" }), index + 1 < lines.count,
           let next = lines[(index + 1)...].firstIndex(where: { !$0.isBlank }), next <= index + 2, startsHeaderBlock(lines, at: next) {
            return 1
        }
        return nil
    }

    private static let attributionEndings = [
        "wrote:", "writes:", "schrieb:", "geschrieben:", "a écrit:", "a écrit :", "écrit :", "écrit:",
        "escribió:", "schreef:", "ha scritto:",
    ]

    private static func isAttribution(_ lower: String) -> Bool {
        guard lower.hasSuffix(":") else { return false }
        if attributionEndings.contains(where: { lower.hasSuffix($0) }) { return true }
        // German puts the name after the verb: "Am 10.03.2026 um 09:15 schrieb Acme AR <ar@acme.example>:".
        return lower.hasPrefix("am ") && lower.range(ofASCII: " schrieb ") != nil
    }

    /// Attribution lines that mail clients wrap over two lines begin like this.
    private static func isWrappedAttributionStart(_ lower: String) -> Bool {
        (lower.hasPrefix("on ") || lower.hasPrefix("am ") || lower.hasPrefix("le ")) && !lower.hasSuffix(":")
            && lower.contains { $0 == "@" || $0.isNumber }
    }

    private static let separatorPhrases: Set<String> = [
        "original message", "ursprüngliche nachricht", "ursprungliche nachricht", "message d'origine",
        "message d’origine", "mail original", "message original", "forwarded message", "weitergeleitete nachricht",
        "message transféré", "begin forwarded message:", "original-nachricht",
    ]

    private static func isSeparator(_ line: Line) -> Bool {
        let core = line.lower.trimming { "-_=* ".contains($0) }
        guard core.count < line.lower.count || core.hasSuffix(":") else { return false }
        return separatorPhrases.contains(String(core))
    }

    private static let fromLabels = ["from:", "von:", "de:", "de :", "van:", "da:"]
    private static let dateLabels = ["sent:", "date:", "gesendet:", "datum:", "envoyé:", "envoyé :", "date :", "verzonden:", "inviato:"]

    /// An Outlook-style block of the earlier message's headers: "From: …" then "Sent: …" or "Date: …".
    private static func startsHeaderBlock(_ lines: [Line], at index: Int) -> Bool {
        guard fromLabels.contains(where: { lines[index].label.hasPrefix($0) }) else { return false }
        return lines[(index + 1)..<min(lines.count, index + 5)].contains { candidate in
            dateLabels.contains { candidate.label.hasPrefix($0) }
        }
    }

    /// A marker followed directly by quoted lines and later by new text is an inline reply: only
    /// the marker and the quoted lines are history.
    private static func isInterleavedAttribution(_ lines: [Line], at index: Int, length: Int) -> Bool {
        guard isAttribution(lines[index].lower) || length == 2 else { return false }
        var sawQuote = false
        for line in lines[(index + length)...] where !line.isBlank {
            if line.isQuoted {
                sawQuote = true
            } else {
                return sawQuote
            }
        }
        return false
    }

    // MARK: Signature

    private static let mobileFooters = [
        "sent from my ", "sent from outlook", "get outlook for", "von meinem ", "gesendet von meinem ",
        "envoyé de mon ", "envoyé depuis mon ", "sent from mail for windows",
    ]

    private static func splitSignature(_ lines: [Line]) -> ([Line], [Line]?) {
        for (index, line) in lines.enumerated() where index > 0 {
            if ["-- ", "--", "—", "--\u{00A0}"].contains(line.raw) {
                return (Array(lines[..<index]), Array(lines[(index + 1)...]))
            }
            if mobileFooters.contains(where: { line.lower.hasPrefix($0) }) {
                return (Array(lines[..<index]), Array(lines[index...]))
            }
        }
        return (lines, nil)
    }

    // MARK: Helpers

    private static func trimmedBlock(_ lines: [Line]) -> String {
        var output: [Substring] = []
        for line in lines {
            let trimmed = line.raw.trimmingTrailingBlanks()
            if trimmed.isEmpty, output.last?.isEmpty ?? true { continue }
            output.append(trimmed)
        }
        while output.last?.isEmpty == true { output.removeLast() }
        let text = output.joined(separator: "\n")
        guard text.contains("\u{00A0}" as Character) else { return text }
        return String(text.map { $0 == "\u{00A0}" ? " " : $0 })
    }
}

extension StringProtocol {
    /// The first occurrence of an ASCII needle, found by scanning UTF-8 bytes (much faster than
    /// the generic or Foundation searches on Linux).
    func range(ofASCII needle: StaticString) -> Range<Index>? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return nil }
        let bytes = utf8
        var start = bytes.startIndex
        while let candidate = bytes[start...].firstIndex(of: first) {
            var position = candidate
            var matched = 0
            while matched < pattern.count, position < bytes.endIndex, bytes[position] == pattern[matched] {
                matched += 1
                position = bytes.index(after: position)
            }
            if matched == pattern.count { return candidate..<position }
            start = bytes.index(after: candidate)
        }
        return nil
    }

}

extension StringProtocol where UTF8View: BidirectionalCollection, UTF8View.Index == Index {
    /// Without leading and trailing spaces and tabs; faster than Foundation's trimming on Linux.
    func trimmingBlanks() -> SubSequence {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return self[endIndex...] }
        var end = bytes.endIndex
        while end > first {
            let previous = bytes.index(before: end)
            guard bytes[previous] == 32 || bytes[previous] == 9 else { break }
            end = previous
        }
        return self[first..<end]
    }

    /// Without trailing spaces, tabs and no-break spaces.
    func trimmingTrailingBlanks() -> SubSequence {
        let bytes = utf8
        var end = bytes.endIndex
        while end > bytes.startIndex {
            let previous = bytes.index(before: end)
            if bytes[previous] == 32 || bytes[previous] == 9 {
                end = previous
            } else if bytes[previous] == 0xA0, previous > bytes.startIndex, bytes[bytes.index(before: previous)] == 0xC2 {
                end = bytes.index(before: previous)
            } else {
                break
            }
        }
        return self[startIndex..<end]
    }

    func trimming(_ isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
