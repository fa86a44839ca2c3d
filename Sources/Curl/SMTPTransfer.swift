import CCurl

extension Transfer {
    convenience init(mail message: [UInt8], envelope: SMTPEnvelope, server: SMTPServer) throws {
        guard !message.isEmpty else { throw CurlError.badArgument("empty message") }
        try Self.validate(envelope)
        try Self.validate(server)
        try self.init(Options(
            url: server.url,
            protocols: "smtp,smtps",
            policy: server.policy,
            tls: server.tls,
            timeout: server.timeout,
            connectTimeout: server.connectTimeout,
            maxResponseBytes: nil,
            upload: message))
        try easy.set(CURLOPT_UPLOAD, true)
        try easy.set(CURLOPT_USE_SSL, Int(server.security == .startTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        if let credentials = server.credentials {
            try easy.set(CURLOPT_USERNAME, credentials.username)
            try easy.set(CURLOPT_PASSWORD, credentials.password)
        }
        try easy.set(CURLOPT_MAIL_FROM, envelope.sender)
        try easy.set(CURLOPT_MAIL_RCPT, lines: envelope.recipients)
    }

    /// The URL's scheme decides whether libcurl starts with TLS, so it has to agree with
    /// the security the server was configured with.
    private static func validate(_ server: SMTPServer) throws {
        let scheme = server.url.prefix { $0 != ":" }.lowercased()
        let expected = server.security == .implicitTLS ? "smtps" : "smtp"
        guard scheme == expected else {
            throw CurlError(
                code: Int(CURLE_URL_MALFORMAT.rawValue),
                message: "SMTP security \(server.security) needs an \(expected):// URL, got \(server.url)")
        }
    }

    /// Line breaks in an address would inject SMTP commands.
    private static func validate(_ envelope: SMTPEnvelope) throws {
        guard !envelope.recipients.isEmpty else { throw CurlError.badArgument("no recipients") }
        for address in [envelope.sender] + envelope.recipients
        where address.utf8.contains(where: isLineBreakOrNUL) {
            throw CurlError.badArgument("address \(String(reflecting: address)) has a line break or NUL")
        }
    }
}
