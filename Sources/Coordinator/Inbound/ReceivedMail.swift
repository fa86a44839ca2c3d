import Crypto
import Foundation
import Mail
import Store

/// What the inbound webhook was sent, read into one parsed message whatever its form: the raw
/// bytes (`message/rfc822`), or the fields of the JSON form rendered into such bytes, so that
/// everything downstream (threading, the stored `raw`, the triage agent) sees one shape.
struct ReceivedMail {
    var parsed: ParsedMessage
    var raw: [UInt8]
    /// Without angle brackets; derived from the bytes when the message has none.
    var messageID: String

    static let maximumBody = 10 * 1024 * 1024
    /// Longer ids are not ids a mail system made; such a message is keyed by its hash instead.
    static let maximumMessageIDLength = 500

    static func read(_ call: Call) throws(APIError) -> ReceivedMail {
        switch Call.mediaType(call.request.headers[.contentType] ?? "") {
        case "message/rfc822": try rfc822(call.body)
        case "application/json": try json(call)
        default:
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "send the message as message/rfc822, or its fields as application/json")
        }
    }

    static func rfc822(_ bytes: [UInt8]) throws(APIError) -> ReceivedMail {
        let parsed: ParsedMessage
        do {
            parsed = try ParsedMessage(parsing: bytes)
        } catch {
            throw APIError(.badRequest, "invalid_message", "the body is not an RFC 5322 message: \(error.description)")
        }
        guard !parsed.from.isEmpty || parsed.deliveryStatus != nil else {
            throw APIError(.badRequest, "invalid_message", "the message has no From address")
        }
        let id = parsed.messageID.flatMap { $0.utf8.count <= maximumMessageIDLength && !$0.contains("\u{0}") ? $0 : nil }
        return ReceivedMail(parsed: parsed, raw: bytes, messageID: id ?? derivedMessageID(bytes))
    }

    /// `{"from", "to", "cc", "subject", "text", "html", "message_id", "in_reply_to", "references", "date"}`;
    /// `from` and one of `text`/`html` are required.
    static func json(_ call: Call) throws(APIError) -> ReceivedMail {
        var body = try call.object(maximum: maximumBody)
        body.requirePresent("from")
        if !body.has("text") && !body.has("html") { body.typeProblem("text", "is required (or html)") }
        let from = body.string("from", maximum: 1000, rule: addressProblem)
        let to = body.strings("to", rule: addressProblem)
        let cc = body.strings("cc", rule: addressProblem)
        let subject = body.string("subject", maximum: 10_000)
        let text = body.string("text", maximum: maximumBody)
        let html = body.string("html", maximum: maximumBody)
        let messageID = body.string("message_id", maximum: maximumMessageIDLength, rule: messageIDProblem)
        let inReplyTo = body.string("in_reply_to", maximum: maximumMessageIDLength, rule: messageIDProblem)
        let references = body.strings("references", rule: messageIDProblem)
        let date = body.string("date") { instant($0) == nil ? "is not an RFC 3339 instant, such as 2025-03-14T09:30:00Z" : nil }
        try body.finish()

        let id = messageID.value.flatMap { MessageID.parseList($0).first } ?? derivedMessageID(call.body)
        let mail = OutgoingMail(
            from: MailAddress(parsing: from.value!)!,
            to: (to.value ?? []).compactMap(MailAddress.init(parsing:)),
            cc: (cc.value ?? []).compactMap(MailAddress.init(parsing:)),
            subject: subject.value ?? "",
            date: date.value.flatMap(instant) ?? Date(),
            messageID: id,
            inReplyTo: inReplyTo.value.flatMap { MessageID.parseList($0).first },
            references: (references.value ?? []).flatMap(MessageID.parseList),
            textBody: text.value ?? "",
            htmlBody: html.value)
        let raw = mail.rendered()
        guard let parsed = try? ParsedMessage(parsing: raw) else {
            throw APIError(.badRequest, "invalid_message", "these fields do not make a message")
        }
        return ReceivedMail(parsed: parsed, raw: raw, messageID: parsed.messageID ?? id)
    }

    /// A message without a Message-ID is known by the SHA-256 of its bytes, so a second
    /// delivery of the same bytes is recognised. `.invalid` is a reserved domain: it collides
    /// with no real id.
    static func derivedMessageID(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + "@inbound.arrears.invalid"
    }

    private static func addressProblem(_ text: String) -> String? {
        guard let address = MailAddress(parsing: text), address.address.contains("@"),
              FieldRules.email(address.address) == nil
        else { return "\"\(text)\" is not an email address" }
        return nil
    }

    private static func messageIDProblem(_ text: String) -> String? {
        MessageID.parseList(text).isEmpty ? "\"\(text)\" is not a Message-ID; write it like <id@mail.example.com>" : nil
    }

    private static func instant(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
