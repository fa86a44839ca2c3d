import Foundation
import Mail

/// The body of a message as blocks, rendered once as plain text and once as HTML, so the two
/// parts of a multipart message always say the same thing.
struct Letter: Sendable {
    enum Block: Sendable {
        case paragraph(String)
        /// Lines kept together (a signature), one line break apart.
        case lines([String])
        /// A table in HTML; in plain text, one "- " line per row. The heading ends with a colon.
        case table(header: [String], rows: [[String]], textLines: [String], heading: String? = nil)
        /// "- " items in plain text, a list in HTML. The heading ends with a colon.
        case list([String], heading: String? = nil)
    }

    var blocks: [Block]
    var language: ReminderLanguage

    var text: String {
        blocks.map { block in
            switch block {
            case .paragraph(let text): text
            case .lines(let lines): lines.joined(separator: "\n")
            case .table(_, _, let textLines, let heading): ([heading].compactMap { $0 } + textLines.map { "- " + $0 }).joined(separator: "\n")
            case .list(let items, let heading): ([heading].compactMap { $0 } + items.map { "- " + $0 }).joined(separator: "\n")
            }
        }.joined(separator: "\n\n") + "\n"
    }

    var html: String {
        var body: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let text):
                body.append("<p>" + HTMLText.escape(text).replacingOccurrences(of: "\n", with: "<br>\n") + "</p>")
            case .lines(let lines):
                body.append("<p>" + lines.map(HTMLText.escape).joined(separator: "<br>\n") + "</p>")
            case .table(let header, let rows, _, let heading):
                if let heading { body.append("<p>" + HTMLText.escape(heading) + "</p>") }
                var table = ["<table cellpadding=\"4\" cellspacing=\"0\" border=\"1\" style=\"border-collapse:collapse\">"]
                table.append("<tr>" + header.map { "<th align=\"left\">\(HTMLText.escape($0))</th>" }.joined() + "</tr>")
                for row in rows {
                    table.append("<tr>" + row.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>")
                }
                table.append("</table>")
                body.append(table.joined(separator: "\n"))
            case .list(let items, let heading):
                if let heading { body.append("<p>" + HTMLText.escape(heading) + "</p>") }
                body.append("<ul>\n" + items.map { "<li>" + HTMLText.escape($0) + "</li>" }.joined(separator: "\n") + "\n</ul>")
            }
        }
        return "<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">\n<head><meta charset=\"utf-8\"></head>\n<body>\n"
            + body.joined(separator: "\n") + "\n</body>\n</html>\n"
    }

    /// Reads free text (a language model's draft) as paragraphs, with runs of "- ", "* " or "• "
    /// lines as lists.
    static func blocks(fromPlainText text: String) -> [Block] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        var blocks: [Block] = []
        for paragraph in normalized.components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !lines.isEmpty else { continue }
            var prose: [String] = []
            var items: [String] = []
            func flushProse() {
                if !prose.isEmpty { blocks.append(.paragraph(prose.joined(separator: "\n"))) }
                prose = []
            }
            func flushItems() {
                if !items.isEmpty { blocks.append(.list(items)) }
                items = []
            }
            for line in lines {
                if let item = listItem(line) {
                    flushProse()
                    items.append(item)
                } else {
                    flushItems()
                    prose.append(line)
                }
            }
            flushProse()
            flushItems()
        }
        return blocks
    }

    private static func listItem(_ line: String) -> String? {
        for marker in ["- ", "* ", "• ", "– "] where line.hasPrefix(marker) {
            return String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}
