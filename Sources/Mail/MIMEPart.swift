/// One node of a parsed MIME tree.
public struct MIMEPart: Sendable {
    public var headers: MailHeaders
    public var contentType: ContentType
    /// "inline" or "attachment", lowercased, when a Content-Disposition was given.
    public var disposition: String?
    public var filename: String?
    /// The body with its transfer encoding removed. For a multipart this is empty.
    public var body: [UInt8]
    /// A multipart's children, or for message/rfc822 the one embedded message.
    public var parts: [MIMEPart]

    public var isAttachment: Bool { disposition == "attachment" }

    /// The body as text, decoded from its declared charset; nil unless this is a text/* part.
    public var text: String? {
        guard contentType.type == "text" else { return nil }
        return Charset.decode(body, charset: contentType.charset)
    }

    /// Nesting deeper than this is treated as opaque, so hostile input cannot exhaust the stack.
    private static let maxDepth = 24

    static func parse(_ bytes: [UInt8], defaultType: ContentType = .defaultText, depth: Int = 0) -> MIMEPart {
        let (headers, bodyStart) = MailHeaders.parse(bytes)
        let rawBody = Array(bytes[min(bodyStart, bytes.count)...])
        return build(headers: headers, rawBody: rawBody, defaultType: defaultType, depth: depth)
    }

    static func build(headers: MailHeaders, rawBody: [UInt8], defaultType: ContentType = .defaultText, depth: Int) -> MIMEPart {
        let contentType = headers["Content-Type"].flatMap(ContentType.parse) ?? defaultType
        var disposition: String?
        var filename = contentType.parameters["name"]
        if let value = headers["Content-Disposition"] {
            let (head, parameters) = HeaderParameters.split(value)
            disposition = head.isEmpty ? nil : head
            filename = parameters["filename"] ?? filename
        }
        var part = MIMEPart(headers: headers, contentType: contentType, disposition: disposition, filename: filename, body: [], parts: [])
        let canNest = depth < maxDepth
        if contentType.isMultipart, canNest, let boundary = contentType.parameters["boundary"], !boundary.isEmpty,
           let pieces = splitMultipart(rawBody, boundary: boundary) {
            let childDefault = contentType.subtype == "digest"
                ? ContentType(type: "message", subtype: "rfc822") : ContentType.defaultText
            part.parts = pieces.map { parse($0, defaultType: childDefault, depth: depth + 1) }
            return part
        }
        if contentType.isMultipart {
            // A multipart without usable boundaries: read what is there as text.
            part.contentType = .defaultText
        }
        part.body = decodeTransferEncoding(rawBody, headers["Content-Transfer-Encoding"])
        if contentType.type == "message", ["rfc822", "global"].contains(contentType.subtype), canNest {
            part.parts = [parse(part.body, depth: depth + 1)]
        }
        return part
    }

    private static func decodeTransferEncoding(_ body: [UInt8], _ encoding: String?) -> [UInt8] {
        switch encoding?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "base64": TransferEncoding.decodeBase64(body)
        case "quoted-printable": TransferEncoding.decodeQuotedPrintable(body)
        default: body
        }
    }

    /// Splits a multipart body at "--boundary" lines. Nil when no boundary line occurs.
    private static func splitMultipart(_ body: [UInt8], boundary: String) -> [[UInt8]]? {
        let delimiter = Array(("--" + boundary).utf8)
        var delimiters: [(lineStart: Int, contentStart: Int, isClose: Bool)] = []
        var lineStart = 0
        while lineStart < body.count {
            let newline = body[lineStart...].firstIndex(of: 10)
            let next = newline.map { $0 + 1 } ?? body.count
            if body[lineStart...].starts(with: delimiter) {
                let rest = body[(lineStart + delimiter.count)..<(newline ?? body.count)]
                let isClose = rest.starts(with: [45, 45])
                let trailing = isClose ? rest.dropFirst(2) : rest
                if trailing.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    delimiters.append((lineStart, next, isClose))
                    if isClose { break }
                }
            }
            lineStart = next
        }
        guard !delimiters.isEmpty else { return nil }
        var pieces: [[UInt8]] = []
        for (index, delimiter) in delimiters.enumerated() where !delimiter.isClose {
            var end = index + 1 < delimiters.count ? delimiters[index + 1].lineStart : body.count
            // The line break before a delimiter belongs to the delimiter.
            if index + 1 < delimiters.count, end > delimiter.contentStart, body[end - 1] == 10 {
                end -= 1
                if end > delimiter.contentStart, body[end - 1] == 13 { end -= 1 }
            }
            pieces.append(Array(body[delimiter.contentStart..<max(end, delimiter.contentStart)]))
        }
        return pieces
    }

    /// Every leaf part below this one, depth-first, not descending into embedded messages.
    var leaves: [MIMEPart] {
        if contentType.isMultipart { return parts.flatMap(\.leaves) }
        return [self]
    }
}
