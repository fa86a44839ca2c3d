import Foundation

/// Reduces HTML mail to readable plain text: block elements become line breaks, blockquotes become
/// "> " prefixes (so quoted history can be recognised), entities are decoded, and a mailto link
/// keeps its address. And the other way: text made safe to put into HTML.
public enum HTMLText {
    /// `&`, `<`, `>` and `"` as entities, so text can stand in an element or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func plainText(_ html: String) -> String {
        var renderer = Renderer()
        let scalars = Array(html.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                index = renderer.handleMarkup(scalars, at: index)
            } else if scalar == "&" {
                let (decoded, next) = decodeEntity(scalars, at: index)
                renderer.emit(decoded)
                index = next
            } else {
                renderer.emit(scalar)
                index += 1
            }
        }
        return renderer.finish()
    }

    private struct Renderer {
        var lines: [String] = []
        var current = ""
        var pendingSpace = false
        var quoteDepth = 0
        var preformatted = false
        var mailto: String?
        var anchorText = ""

        private static let skippedElements: Set<String> = ["script", "style", "head", "title", "noscript", "template"]
        private static let paragraphElements: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"]
        private static let lineElements: Set<String> = [
            "div", "tr", "li", "hr", "pre", "section", "article", "header", "footer", "dd", "dt", "dl",
            "address", "center", "form", "fieldset", "tbody", "thead", "tfoot", "caption", "body", "html",
        ]

        mutating func emit(_ scalar: Unicode.Scalar) {
            if scalar == "\u{00AD}" || scalar == "\u{200B}" || scalar == "\u{FEFF}" { return }
            if preformatted, scalar == "\n" {
                breakLine()
                return
            }
            if scalar.properties.isWhitespace {
                if !current.isEmpty { pendingSpace = true }
                return
            }
            if current.isEmpty, quoteDepth > 0 { current = String(repeating: "> ", count: quoteDepth) }
            if pendingSpace, !current.isEmpty, !current.hasSuffix(" ") { current += " " }
            pendingSpace = false
            current.unicodeScalars.append(scalar)
            if mailto != nil { anchorText.unicodeScalars.append(scalar) }
        }

        mutating func emit(_ text: String) {
            for scalar in text.unicodeScalars { emit(scalar) }
        }

        mutating func breakLine() {
            while current.hasSuffix(" ") { current.removeLast() }
            lines.append(current)
            current = ""
            pendingSpace = false
        }

        mutating func ensureLineBreak() {
            if !current.isEmpty { breakLine() }
        }

        mutating func ensureBlankLine() {
            ensureLineBreak()
            if let last = lines.last, !last.isEmpty { lines.append("") }
        }

        /// Handles "<…" at `start`; returns the index after the markup.
        mutating func handleMarkup(_ scalars: [Unicode.Scalar], at start: Int) -> Int {
            if matches(scalars, at: start, "<!--") {
                return find(scalars, "-->", from: start + 4).map { $0 + 3 } ?? scalars.count
            }
            var index = start + 1
            let closing = index < scalars.count && scalars[index] == "/"
            if closing { index += 1 }
            var name = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            if name.isEmpty, !closing, index < scalars.count, scalars[index] != "!" && scalars[index] != "?" {
                // A bare "<" in text.
                emit("<")
                return start + 1
            }
            name = name.lowercased()
            let (attributes, end) = readAttributes(scalars, from: index)
            if !closing, Self.skippedElements.contains(name) {
                return find(scalars, "</" + name, from: end, caseInsensitive: true)
                    .flatMap { close in find(scalars, ">", from: close).map { $0 + 1 } } ?? scalars.count
            }
            apply(name, closing: closing, attributes: attributes)
            return end
        }

        private mutating func apply(_ name: String, closing: Bool, attributes: String) {
            switch name {
            case "br":
                breakLine()
            case "blockquote":
                ensureLineBreak()
                quoteDepth = max(0, quoteDepth + (closing ? -1 : 1))
            case "pre":
                ensureLineBreak()
                preformatted = !closing
            case "td", "th":
                if !current.isEmpty { pendingSpace = true }
            case "li" where !closing:
                ensureLineBreak()
                emit("- ")
            case "a":
                if closing {
                    if let address = mailto, !anchorText.lowercased().contains(address.lowercased()) {
                        emit(" <" + address + ">")
                    }
                    mailto = nil
                } else if let href = Self.mailtoAddress(in: attributes) {
                    mailto = href
                    anchorText = ""
                }
            case _ where Self.paragraphElements.contains(name):
                ensureBlankLine()
            case _ where Self.lineElements.contains(name):
                ensureLineBreak()
            default:
                break
            }
        }

        private static func mailtoAddress(in attributes: String) -> String? {
            guard let range = attributes.range(of: "mailto:", options: .caseInsensitive) else { return nil }
            let address = attributes[range.upperBound...].prefix { !"\"'?> ".contains($0) }
            let decoded = address.removingPercentEncoding ?? String(address)
            return decoded.contains("@") ? decoded : nil
        }

        private func readAttributes(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Int) {
            var index = start
            var quote: Unicode.Scalar?
            var text = ""
            while index < scalars.count {
                let scalar = scalars[index]
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == ">" {
                    return (text, index + 1)
                }
                text.unicodeScalars.append(scalar)
                index += 1
            }
            return (text, scalars.count)
        }

        mutating func finish() -> String {
            ensureLineBreak()
            var output: [String] = []
            for line in lines {
                if line.isEmpty, output.last?.isEmpty ?? true { continue }
                output.append(line)
            }
            while output.last?.isEmpty == true { output.removeLast() }
            return output.joined(separator: "\n")
        }
    }

    private static func matches(_ scalars: [Unicode.Scalar], at index: Int, _ text: String) -> Bool {
        let pattern = Array(text.unicodeScalars)
        guard index + pattern.count <= scalars.count else { return false }
        return scalars[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    private static func find(_ scalars: [Unicode.Scalar], _ text: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let pattern = Array(text.lowercased().unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return nil }
        var index = start
        while index <= scalars.count - pattern.count {
            var matched = true
            for offset in 0..<pattern.count {
                var scalar = scalars[index + offset]
                if caseInsensitive, ("A"..."Z").contains(scalar) { scalar = Unicode.Scalar(scalar.value + 32)! }
                if scalar != pattern[offset] {
                    matched = false
                    break
                }
            }
            if matched { return index }
            index += 1
        }
        return nil
    }

    /// Decodes "&name;", "&#123;" or "&#x1F;" at `start`; an unknown entity stays literal.
    private static func decodeEntity(_ scalars: [Unicode.Scalar], at start: Int) -> (String, Int) {
        var index = start + 1
        var name = ""
        while index < scalars.count, index - start <= 10, scalars[index] != ";" {
            let scalar = scalars[index]
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" else { break }
            name.unicodeScalars.append(scalar)
            index += 1
        }
        let terminated = index < scalars.count && scalars[index] == ";"
        let next = terminated ? index + 1 : index
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            if let value, let scalar = Unicode.Scalar(value) { return (String(scalar), next) }
        } else if let value = namedEntities[name] ?? namedEntities[name.lowercased()] {
            return (value, next)
        }
        return ("&", start + 1)
    }

    /// Latin-1 entity names in code point order, starting at U+00A0.
    private static let latin1Names = """
        nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 \
        acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde \
        Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute \
        Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde \
        auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute \
        ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
        """.split(separator: " ")

    private static let namedEntities: [String: String] = {
        var table: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "euro": "€", "hellip": "…",
            "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
            "bdquo": "„", "sbquo": "‚", "bull": "•", "trade": "™", "OElig": "Œ", "oelig": "œ",
            "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "zwnj": "", "zwj": "", "thinsp": " ",
            "ensp": " ", "emsp": " ", "lsaquo": "‹", "rsaquo": "›", "dagger": "†", "permil": "‰",
        ]
        for (offset, name) in latin1Names.enumerated() {
            // A no-break space is a space for every purpose downstream.
            table[String(name)] = offset == 0 ? " " : String(Unicode.Scalar(UInt32(0xA0 + offset))!)
        }
        return table
    }()
}
