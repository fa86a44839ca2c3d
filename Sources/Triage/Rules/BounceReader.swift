import Mail

/// Decides whether a message reports a failed delivery, and whether the failure is permanent.
enum BounceReader {
    struct Finding {
        let type: BounceType
        let reasons: [String]
    }

    /// From an RFC 3464 report: any permanent failure makes the bounce hard.
    static func read(_ report: DeliveryStatusReport) -> Finding? {
        let failures = report.failures
        guard !failures.isEmpty else { return nil }
        let hard = failures.contains { $0.statusClass == .permanentFailure }
        let reasons = failures.map { failure in
            let who = failure.finalRecipient ?? "the recipient"
            let how = failure.statusClass == .permanentFailure ? "failed permanently" : "is delayed or failed temporarily"
            let status = [failure.status, failure.diagnosticCode].compactMap { $0 }.joined(separator: ", ")
            return "delivery status notification: delivery to \(who) \(how)" + (status.isEmpty ? "" : " (\(status))")
        }
        return Finding(type: hard ? .hard : .soft, reasons: reasons)
    }

    /// From a bounce written as plain text (no RFC 3464 report), as many servers still send.
    static func read(subject: [Token], body: [Token], from: [MailAddress]) -> Finding? {
        let subjectHits = CueMatcher.hits(CueBook.bounce, in: subject)
        let bodyHits = CueMatcher.hits(CueBook.bounce, in: body)
        let code = statusCode(in: body)
        let fromDaemon = AutoReply.isMailDaemon(from)
        let subjectSaysFailure = subjectHits.contains { $0.signal == .bounce }
        let bodyFailures = bodyHits.filter { $0.signal == .bounce }.count
        let bodyDetails = bodyHits.contains { $0.signal != .bounce } || code != nil
        guard ((fromDaemon || subjectSaysFailure) && (bodyFailures > 0 || bodyDetails))
                || (bodyFailures >= 2 && bodyDetails) else { return nil }

        var reasons: [String] = []
        if fromDaemon { reasons.append("sent by a mail delivery system") }
        if subjectSaysFailure { reasons.append("subject reports a delivery failure") }
        let type: BounceType
        if let code {
            type = code.hasPrefix("4") ? .soft : .hard
            reasons.append("status code \(code) is \(type == .hard ? "permanent" : "temporary")")
        } else if bodyHits.contains(where: { $0.signal == .bounceSoft }) && !bodyHits.contains(where: { $0.signal == .bounceHard }) {
            type = .soft
            reasons.append("the text describes a temporary failure")
        } else {
            type = .hard
            reasons.append(bodyHits.contains { $0.signal == .bounceHard } ? "the text describes a permanent failure" : "delivery failed without a sign it is temporary")
        }
        return Finding(type: type, reasons: reasons)
    }

    /// The first enhanced status code (RFC 3463) such as "5.1.1", else a basic SMTP reply code
    /// such as "550" next to one.
    private static func statusCode(in tokens: [Token]) -> String? {
        for index in tokens.indices where index + 4 < tokens.count {
            let first = tokens[index]
            guard first.isNumber, first.text == "4" || first.text == "5",
                  tokens[index + 1].isSymbol("."), !tokens[index + 1].spaceBefore,
                  tokens[index + 2].isNumber, !tokens[index + 2].spaceBefore,
                  tokens[index + 3].isSymbol("."), !tokens[index + 3].spaceBefore,
                  tokens[index + 4].isNumber, !tokens[index + 4].spaceBefore,
                  index == 0 || tokens[index - 1].kind != .symbol || tokens[index].spaceBefore else { continue }
            return "\(first.text).\(tokens[index + 2].text).\(tokens[index + 4].text)"
        }
        for token in tokens where token.isNumber && token.text.count == 3 {
            if ["421", "450", "451", "452", "550", "551", "552", "553", "554"].contains(token.text) { return token.text }
        }
        return nil
    }
}
