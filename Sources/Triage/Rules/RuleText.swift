import Foundation

/// The part of a reply the rules read: the new text without the closing formula and what follows
/// it (signature, legal disclaimer), and without disclaimer paragraphs elsewhere.
enum RuleText {
    private static let valedictions: Set<String> = [
        "best regards", "kind regards", "regards", "cheers", "many thanks", "thanks and regards", "best wishes",
        "warm regards", "warmest regards", "sincerely", "yours sincerely", "yours faithfully", "yours truly", "with best regards",
        "with kind regards", "kindest regards", "all the best", "thanks in advance", "thank you in advance",
        "mit freundlichen grussen", "mit freundlichem gruss", "freundliche grusse", "viele grusse", "beste grusse",
        "liebe grusse", "herzliche grusse", "gruss", "grusse", "mit besten grussen", "freundliche grusse aus",
        "cordialement", "bien cordialement", "tres cordialement", "salutations", "meilleures salutations", "bien a vous",
        "sinceres salutations", "salutations distinguees", "bonne journee", "bonne fin de journee", "merci d avance",
        "avec mes salutations", "respectueusement",
    ]

    /// Short closings, which count only as a line of their own ("Thanks," but not "Thanks, we paid").
    private static let thanks: Set<String> = [
        "thanks", "thank you", "thx", "merci", "merci beaucoup", "danke", "vielen dank", "danke schon", "besten dank",
        "best", "br", "mfg", "vg", "lg",
    ]

    private static let disclaimerNeedles = disclaimerWords.map { Array($0.utf8) }

    private static let disclaimerWords = [
        "confidential", "intended recipient", "intended solely", "privileged", "disclaimer", "think before you print",
        "registered office", "registered in", "company number", "vertraulich", "richtige adressat", "bestimmungsgemass",
        "handelsregister", "amtsgericht", "geschaftsfuhrer", "ust-idnr", "confidentiel", "destinataire exclusif",
        "siege social", "rcs ", "capital social", "unauthorized", "unauthorised", "virus",
    ]

    static func prepare(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var sawContent = false
        for (index, line) in lines.enumerated() {
            let core = trimmedPunctuation(line)
            // Closing formulas are short; most lines are not, and are skipped without folding.
            if sawContent, core.count <= 40 {
                let folded = Folding.fold(core)
                if valedictions.contains(folded) || thanks.contains(folded)
                    || (!folded.contains(".") && valedictions.contains { folded.hasPrefix($0 + " ") }) {
                    lines = Array(lines[..<index])
                    break
                }
            }
            if !core.isEmpty { sawContent = true }
        }
        let paragraphs = lines.split(separator: "", omittingEmptySubsequences: false)
        let kept = paragraphs.filter { paragraph in
            let length = paragraph.reduce(0) { $0 + $1.utf8.count }
            // Disclaimers are long; short paragraphs are never dropped.
            guard length > 80 else { return true }
            let folded = Array(Folding.fold(paragraph.joined(separator: " ")).utf8)
            return !disclaimerNeedles.contains { contains(folded, $0) }
        }
        return kept.map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
    }

    private static func trimmedPunctuation(_ line: Substring) -> Substring {
        let isTrimmed: (Character) -> Bool = { " ,.!-–\t\u{00A0}".contains($0) }
        guard let first = line.firstIndex(where: { !isTrimmed($0) }), let last = line.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return line[first...last]
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
