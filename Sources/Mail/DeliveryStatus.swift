import Foundation

/// A delivery status notification (RFC 3464: multipart/report; report-type=delivery-status).
public struct DeliveryStatusReport: Sendable, Hashable {
    public var reportingMTA: String?
    public var recipients: [RecipientStatus]
    /// The Message-ID of the message that could not be delivered, when the report includes its
    /// headers (without angle brackets).
    public var originalMessageID: String?

    public init(reportingMTA: String? = nil, recipients: [RecipientStatus], originalMessageID: String? = nil) {
        self.reportingMTA = reportingMTA
        self.recipients = recipients
        self.originalMessageID = originalMessageID
    }

    /// The recipients whose delivery failed or is delayed.
    public var failures: [RecipientStatus] {
        recipients.filter { $0.statusClass == .permanentFailure || $0.statusClass == .transientFailure }
    }
}

/// The per-recipient part of a delivery status notification.
public struct RecipientStatus: Sendable, Hashable {
    /// The address from Final-Recipient ("rfc822; jane@acme.example" gives "jane@acme.example").
    public var finalRecipient: String?
    public var originalRecipient: String?
    /// "failed", "delayed", "delivered", "relayed" or "expanded", lowercased.
    public var action: String?
    /// The enhanced status code, e.g. "5.1.1" (RFC 3463).
    public var status: String?
    /// The remote server's words, without the type prefix ("550 5.1.1 User unknown").
    public var diagnosticCode: String?
    public var remoteMTA: String?

    public init(finalRecipient: String? = nil, originalRecipient: String? = nil, action: String? = nil,
                status: String? = nil, diagnosticCode: String? = nil, remoteMTA: String? = nil) {
        self.finalRecipient = finalRecipient
        self.originalRecipient = originalRecipient
        self.action = action
        self.status = status
        self.diagnosticCode = diagnosticCode
        self.remoteMTA = remoteMTA
    }

    /// The class of the status code: 2 success, 4 transient failure, 5 permanent failure. Without a
    /// usable code the action decides ("failed" is permanent, "delayed" transient).
    public var statusClass: DeliveryStatusClass? {
        switch status?.first {
        case "2": return .success
        case "4": return .transientFailure
        case "5": return .permanentFailure
        default: break
        }
        switch action {
        case "failed": return .permanentFailure
        case "delayed": return .transientFailure
        case "delivered", "relayed", "expanded": return .success
        default: return nil
        }
    }
}

public enum DeliveryStatusClass: String, Sendable, Hashable {
    case success
    /// 4.x.x: the mailbox may accept mail later (full, greylisted, server down): a soft bounce.
    case transientFailure
    /// 5.x.x: the address does not work (unknown user, domain gone, rejected): a hard bounce.
    case permanentFailure
}

extension DeliveryStatusReport {
    /// Reads the report from a multipart/report part, or nil when it is not a delivery-status report.
    init?(report: MIMEPart) {
        guard report.contentType.mimeType == "multipart/report",
              report.contentType.parameters["report-type"]?.lowercased() == "delivery-status"
              || report.parts.contains(where: { $0.contentType.isDeliveryStatus }) else { return nil }
        guard let statusPart = report.parts.first(where: { $0.contentType.isDeliveryStatus }) else {
            self.init(recipients: [])
            return
        }
        let blocks = Self.fieldBlocks(statusPart.body)
        let perMessage = blocks.first ?? MailHeaders()
        let recipients = blocks.dropFirst().map(Self.recipient)
        self.init(
            reportingMTA: perMessage["Reporting-MTA"].map(Self.valueAfterType),
            recipients: recipients.filter { $0.finalRecipient != nil || $0.status != nil || $0.action != nil },
            originalMessageID: Self.originalMessageID(in: report)
        )
    }

    private static func recipient(_ fields: MailHeaders) -> RecipientStatus {
        RecipientStatus(
            finalRecipient: fields["Final-Recipient"].map(valueAfterType).map(stripBrackets),
            originalRecipient: fields["Original-Recipient"].map(valueAfterType).map(stripBrackets),
            action: fields["Action"].map { $0.lowercased().split(separator: " ").first.map(String.init) ?? $0.lowercased() },
            status: fields["Status"].flatMap { $0.split(separator: " ").first.map(String.init) },
            diagnosticCode: fields["Diagnostic-Code"].map(valueAfterType),
            remoteMTA: fields["Remote-MTA"].map(valueAfterType)
        )
    }

    /// The status body is header-like blocks separated by blank lines.
    private static func fieldBlocks(_ body: [UInt8]) -> [MailHeaders] {
        var blocks: [MailHeaders] = []
        var start = 0
        while start < body.count {
            let (headers, next) = MailHeaders.parse(body, from: start)
            if !headers.fields.isEmpty { blocks.append(headers) }
            if next > start {
                start = next
            } else {
                // A line that is no field: skip it.
                start = (body[start...].firstIndex(of: 10) ?? body.count - 1) + 1
            }
        }
        return blocks
    }

    private static func originalMessageID(in report: MIMEPart) -> String? {
        for part in report.parts {
            switch part.contentType.mimeType {
            case "message/rfc822", "message/global":
                if let id = part.parts.first?.headers["Message-ID"] { return MessageID.parseList(id).first }
            case "text/rfc822-headers", "message/global-headers":
                if let id = MailHeaders.parse(part.body).headers["Message-ID"] { return MessageID.parseList(id).first }
            default:
                continue
            }
        }
        return nil
    }

    /// "rfc822; jane@acme.example" → "jane@acme.example"; a value without a type stays whole.
    private static func valueAfterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }

    private static func stripBrackets(_ value: String) -> String {
        value.trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
    }
}

extension ContentType {
    var isDeliveryStatus: Bool {
        mimeType == "message/delivery-status" || mimeType == "message/global-delivery-status"
    }
}
