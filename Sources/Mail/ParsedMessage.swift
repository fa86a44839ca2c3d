import Foundation

/// Why a message could not be read at all.
public enum MailParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input was empty or only whitespace.
    case empty
    /// The input does not start with a header field ("Name: value"), so it is not a message.
    case noHeaderFields

    public var description: String {
        switch self {
        case .empty: "the message is empty"
        case .noHeaderFields: "the text does not start with header fields, so it is not an RFC 5322 message"
        }
    }
}

/// An inbound message, parsed leniently: malformed parts give a best-effort result, never a crash.
public struct ParsedMessage: Sendable {
    public var headers: MailHeaders
    /// The MIME tree.
    public var root: MIMEPart
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: [MailAddress]
    /// Decoded from encoded-words; nil when the header is missing.
    public var subject: String?
    /// The Date header as an instant; nil when missing or unreadable.
    public var date: Date?
    /// Without angle brackets.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// The text/plain body, joined when there are several inline parts; line ends are "\n".
    public var plainBody: String?
    /// The text/html body as sent.
    public var htmlBody: String?
    /// The best text: the plain body, else the HTML body reduced to text; line ends are "\n".
    public var text: String
    /// `text` split into the new text, signature and quoted history.
    public var reply: ReplyParts
    /// Set for RFC 3464 delivery status notifications.
    public var deliveryStatus: DeliveryStatusReport?

    /// What the sender wrote in this message: `text` without quoted history or signature.
    public var newText: String { reply.newText }

    /// Parts marked as attachments (Content-Disposition: attachment).
    public var attachments: [MIMEPart] { root.leaves.filter(\.isAttachment) }

    public init(parsing data: some Sequence<UInt8>) throws(MailParseError) {
        let bytes = Array(data)
        guard bytes.contains(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { throw .empty }
        let start = bytes.firstIndex { $0 != 10 && $0 != 13 } ?? 0
        let (headers, bodyStart) = MailHeaders.parse(bytes, from: start)
        guard !headers.fields.isEmpty else { throw .noHeaderFields }
        let rawBody = Array(bytes[min(bodyStart, bytes.count)...])
        root = MIMEPart.build(headers: headers, rawBody: rawBody, depth: 0)
        self.headers = headers
        from = headers["From"].map(MailAddress.parseList) ?? []
        to = headers.values("To").flatMap(MailAddress.parseList)
        cc = headers.values("Cc").flatMap(MailAddress.parseList)
        replyTo = headers["Reply-To"].map(MailAddress.parseList) ?? []
        subject = headers["Subject"].map { EncodedWords.decode($0) }
        date = headers["Date"].flatMap(MailDate.parse)
        messageID = headers["Message-ID"].flatMap { MessageID.parseList($0).first }
        inReplyTo = headers["In-Reply-To"].map(MessageID.parseList) ?? []
        references = headers["References"].map(MessageID.parseList) ?? []

        let plain = Self.collectText(root, subtype: "plain")
        let html = Self.collectText(root, subtype: "html")
        plainBody = plain.isEmpty ? nil : TransferEncoding.normalizedLines(plain.joined(separator: "\n")).joined(separator: "\n")
        htmlBody = html.isEmpty ? nil : html.joined(separator: "\n")
        let plainHasText = plainBody.map { $0.contains { !$0.isWhitespace } } ?? false
        if plainHasText, let plainBody {
            text = plainBody
        } else if let htmlBody {
            text = HTMLText.plainText(htmlBody)
        } else {
            text = plainBody ?? ""
        }
        reply = ReplyExtractor.split(text)
        deliveryStatus = Self.findReport(root)
    }

    /// Parses a message held as text (its UTF-8 bytes).
    public init(parsing text: String) throws(MailParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// Inline text parts of one subtype in document order. Of a multipart/alternative only the first
    /// child holding that subtype counts; embedded messages (quoted originals) and attachments don't.
    private static func collectText(_ part: MIMEPart, subtype: String) -> [String] {
        if part.isAttachment { return [] }
        switch (part.contentType.type, part.contentType.subtype) {
        case ("multipart", "alternative"):
            for child in part.parts {
                let found = collectText(child, subtype: subtype)
                if !found.isEmpty { return found }
            }
            return []
        case ("multipart", _):
            return part.parts.flatMap { collectText($0, subtype: subtype) }
        case ("text", subtype):
            return part.text.map { [$0] } ?? []
        default:
            return []
        }
    }

    private static func findReport(_ part: MIMEPart) -> DeliveryStatusReport? {
        if let report = DeliveryStatusReport(report: part) { return report }
        guard part.contentType.isMultipart else { return nil }
        for child in part.parts {
            if let report = findReport(child) { return report }
        }
        return nil
    }
}
