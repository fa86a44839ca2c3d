import Foundation

/// An outbound message, rendered as RFC 5322 / MIME bytes.
///
/// Rendering is deterministic: the same fields give the same bytes, because the MIME boundary
/// is derived from the Message-ID. A retried send therefore produces an identical message.
public struct OutgoingMail: Sendable, Hashable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: [MailAddress]
    public var subject: String
    public var date: Date
    /// The zone the Date header is written in.
    public var timeZone: TimeZone
    /// Without angle brackets; see `MessageID.deterministic`.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    /// Written after the standard fields, in order. Fields whose names the composer writes itself
    /// (From, Subject, Content-Type…) are ignored so they cannot be duplicated.
    public var extraHeaders: [MailHeader]
    public var textBody: String
    /// When present the body is multipart/alternative (text/plain, then text/html).
    public var htmlBody: String?

    public init(
        from: MailAddress,
        to: [MailAddress],
        cc: [MailAddress] = [],
        replyTo: [MailAddress] = [],
        subject: String,
        date: Date,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        messageID: String,
        inReplyTo: String? = nil,
        references: [String] = [],
        extraHeaders: [MailHeader] = [],
        textBody: String,
        htmlBody: String? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.extraHeaders = extraHeaders
        self.textBody = textBody
        self.htmlBody = htmlBody
    }

    /// Continues a thread after the message `parentID`, whose own References were
    /// `parentReferences` (RFC 5322 §3.6.4).
    public mutating func continueThread(after parentID: String, parentReferences: [String] = []) {
        inReplyTo = parentID
        references = parentReferences.filter { $0 != parentID } + [parentID]
    }

    /// Names the composer writes itself, lowercased.
    private static let reservedNames: Set<String> = [
        "date", "from", "to", "cc", "bcc", "reply-to", "subject", "message-id", "in-reply-to",
        "references", "mime-version", "content-type", "content-transfer-encoding",
    ]

    /// The MIME boundary, derived from the Message-ID. "=_" cannot occur in quoted-printable text,
    /// so the boundary can never collide with body content.
    public var boundary: String {
        "=_" + SHA256.hex(SHA256.hash(Array(("boundary:" + messageID).utf8)).prefix(12))
    }

    /// The message with CRLF line endings, ready for SMTP.
    public func rendered() -> [UInt8] {
        var head: [String] = [
            HeaderWriter.field("Date", tokens: [MailDate.format(date, timeZone: timeZone)]),
            HeaderWriter.field("From", tokens: HeaderWriter.addressTokens([from], fieldName: "From")),
        ]
        if !to.isEmpty { head.append(HeaderWriter.field("To", tokens: HeaderWriter.addressTokens(to, fieldName: "To"))) }
        if !cc.isEmpty { head.append(HeaderWriter.field("Cc", tokens: HeaderWriter.addressTokens(cc, fieldName: "Cc"))) }
        if !replyTo.isEmpty { head.append(HeaderWriter.field("Reply-To", tokens: HeaderWriter.addressTokens(replyTo, fieldName: "Reply-To"))) }
        head.append(HeaderWriter.field("Subject", tokens: HeaderWriter.unstructuredTokens(subject, fieldName: "Subject")))
        head.append(HeaderWriter.field("Message-ID", tokens: [bracketed(messageID)]))
        if let inReplyTo { head.append(HeaderWriter.field("In-Reply-To", tokens: [bracketed(inReplyTo)])) }
        if !references.isEmpty { head.append(HeaderWriter.field("References", tokens: references.map(bracketed))) }
        for header in extraHeaders {
            let name = HeaderWriter.sanitizedName(header.name)
            guard !name.isEmpty, !Self.reservedNames.contains(name.lowercased()) else { continue }
            head.append(HeaderWriter.field(name, tokens: HeaderWriter.unstructuredTokens(header.value, fieldName: name)))
        }
        head.append("MIME-Version: 1.0")

        var lines: [String]
        if let htmlBody {
            lines = head + [HeaderWriter.field("Content-Type", tokens: ["multipart/alternative;", "boundary=\"\(boundary)\""]), ""]
            lines += ["--" + boundary] + Self.textPartHeaders(subtype: "plain") + ["", Self.qp(textBody)]
            lines += ["--" + boundary] + Self.textPartHeaders(subtype: "html") + ["", Self.qp(htmlBody)]
            lines.append("--" + boundary + "--")
        } else {
            lines = head + Self.textPartHeaders(subtype: "plain") + ["", Self.qp(textBody)]
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// `rendered()` as Data.
    public var data: Data { Data(rendered()) }

    private func bracketed(_ id: String) -> String {
        "<" + HeaderWriter.singleLine(id).filter { $0 != " " && $0 != "<" && $0 != ">" } + ">"
    }

    private static func textPartHeaders(subtype: String) -> [String] {
        ["Content-Type: text/\(subtype); charset=UTF-8", "Content-Transfer-Encoding: quoted-printable"]
    }

    private static func qp(_ text: String) -> String {
        String(decoding: TransferEncoding.quotedPrintable(text), as: UTF8.self)
    }
}
