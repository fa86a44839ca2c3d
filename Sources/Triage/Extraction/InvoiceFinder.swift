/// Finds invoice numbers: after a keyword ("invoice 1001", "Rechnung Nr. RE-2026-042", "facture
/// n° FA-17", "invoices 1001, 1002 and 1003"), in the usual prefixed shapes ("INV-2026-001"), and
/// any of the customer's known open invoice numbers wherever they appear.
struct InvoiceFinder {
    private let known: [String: String]

    init(knownInvoices: [String]) {
        var known: [String: String] = [:]
        for number in knownInvoices { known[Self.normalized(number)] = number }
        self.known = known
    }

    private static let keywords: Set<String> = [
        "invoice", "invoices", "inv", "rechnung", "rechnungen", "rechnungsnummer", "rechnungsnr", "rg", "rgnr",
        "facture", "factures", "fact", "bill", "bills",
    ]
    private static let fillers: Set<String> = ["no", "nr", "n", "#", "number", "numbers", "nummer", "nummern", "numero", "num", ":", "°", "º", ".", "ref"]
    private static let listJoiners: Set<String> = [",", "and", "und", "et", "&", "/", "+", "sowie"]
    private static let codePrefixes: Set<String> = ["inv", "re", "rg", "fa", "fac", "fact", "rech", "in", "ar", "f"]

    func find(in text: TokenizedText, skipping claimed: [Range<Int>] = []) -> [String] {
        let tokens = text.tokens
        var found: [String] = []
        func add(_ invoice: String) {
            if !found.contains(invoice) { found.append(invoice) }
        }
        var index = 0
        while index < tokens.count {
            if claimed.contains(where: { $0.contains(index) }) {
                index += 1
                continue
            }
            if tokens[index].isWord, Self.keywords.contains(tokens[index].text) {
                var position = index + 1
                while position < tokens.count, Self.fillers.contains(tokens[position].text) { position += 1 }
                var listed = 0
                while let (code, end) = code(text, at: position), !claimed.contains(where: { $0.contains(position) }) {
                    add(known[Self.normalized(code)] ?? code)
                    listed += 1
                    position = end
                    guard position + 1 < tokens.count, Self.listJoiners.contains(tokens[position].text) else { break }
                    position += 1
                    while position < tokens.count, Self.fillers.contains(tokens[position].text) { position += 1 }
                }
                if listed > 0 {
                    index = position
                    continue
                }
            }
            if let (code, end) = code(text, at: index), !claimed.contains(where: { $0.contains(index) }) {
                if let invoice = known[Self.normalized(code)] {
                    add(invoice)
                } else if looksLikeInvoiceCode(code) {
                    add(code)
                }
                index = end
                continue
            }
            index += 1
        }
        return found
    }

    /// A run of glued letters, digits, "-", "/", "_" and inner dots holding at least one digit.
    private func code(_ text: TokenizedText, at start: Int) -> (String, Int)? {
        let tokens = text.tokens
        guard start < tokens.count, tokens[start].isWord || tokens[start].isNumber else { return nil }
        var end = start + 1
        while end < tokens.count, !tokens[end].spaceBefore {
            let token = tokens[end]
            if token.isWord || token.isNumber {
                end += 1
            } else if token.kind == .symbol, ["-", "/", "_", "."].contains(token.text),
                      end + 1 < tokens.count, !tokens[end + 1].spaceBefore, tokens[end + 1].isWord || tokens[end + 1].isNumber {
                end += 1
            } else {
                break
            }
        }
        guard tokens[start..<end].contains(where: \.isNumber) else { return nil }
        return (text.original(start, end - 1), end)
    }

    /// Runs of two or more glued tokens holding a digit ("INV-2026-0117", "TX-77120"), outside
    /// `claimed`, for collapsing into single tokens.
    static func codeRanges(in tokens: [Token], skipping claimed: [Range<Int>]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < tokens.count {
            guard tokens[index].isWord || tokens[index].isNumber, !claimed.contains(where: { $0.contains(index) }) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < tokens.count, !tokens[end].spaceBefore, !claimed.contains(where: { $0.contains(end) }) {
                if tokens[end].isWord || tokens[end].isNumber {
                    end += 1
                } else if ["-", "/", "_"].contains(tokens[end].text), end + 1 < tokens.count, !tokens[end + 1].spaceBefore,
                          tokens[end + 1].isWord || tokens[end + 1].isNumber, !claimed.contains(where: { $0.contains(end + 1) }) {
                    end += 1
                } else {
                    break
                }
            }
            if end - index > 1, tokens[index..<end].contains(where: \.isNumber), tokens[index..<end].contains(where: { !$0.isNumber }) {
                ranges.append(index..<end)
            }
            index = end
        }
        return ranges
    }

    /// `codes` with each list of them ("INV-1, INV-2 and INV-3") made one range, so a phrase reads a
    /// list of invoices like one: "die Zahlung für INV-1, INV-2, INV-3 erfolgt am …".
    static func listRanges(_ codes: [Range<Int>], in tokens: [Token]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for code in codes {
            if let last = merged.last, last.upperBound < code.lowerBound,
               tokens[last.upperBound..<code.lowerBound].allSatisfy({ listJoiners.contains($0.text) }) {
                merged[merged.count - 1] = last.lowerBound..<code.upperBound
            } else {
                merged.append(code)
            }
        }
        return merged
    }

    private func looksLikeInvoiceCode(_ code: String) -> Bool {
        let parts = code.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "_" })
        guard parts.count >= 2, let prefix = parts.first, prefix.allSatisfy(\.isLetter) else { return false }
        return Self.codePrefixes.contains(prefix.lowercased()) && parts.dropFirst().allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    private static func normalized(_ number: String) -> String {
        Folding.fold(number).filter { !$0.isWhitespace }
    }
}
