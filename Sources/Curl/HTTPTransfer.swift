import CCurl

extension Transfer {
    convenience init(http request: HTTPRequest) throws {
        for header in request.headers {
            try Self.validate(header)
        }
        try self.init(Options(
            url: request.url,
            protocols: "http,https",
            policy: request.policy,
            tls: request.tls,
            timeout: request.timeout,
            connectTimeout: request.connectTimeout,
            maxResponseBytes: request.maxResponseBytes,
            upload: []))
        try collectHeaders()
        try easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(request.maxResponseBytes))
        if request.maxRedirects > 0 {
            try easy.set(CURLOPT_FOLLOWLOCATION, true)
            try easy.set(CURLOPT_MAXREDIRS, request.maxRedirects)
        }
        try configureMethod(request)
        try easy.set(CURLOPT_HTTPHEADER, lines: Self.headerLines(request))
    }

    private func configureMethod(_ request: HTTPRequest) throws {
        if request.method == .head {
            try easy.set(CURLOPT_NOBODY, true)
        } else if !request.body.isEmpty || [.post, .put, .patch].contains(request.method) {
            try easy.set(CURLOPT_POST, true)
            // The size first, so libcurl copies exactly these bytes rather than up to a NUL.
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            // libcurl needs a real pointer even for zero bytes.
            let bytes = request.body.isEmpty ? [0] : request.body
            try bytes.withUnsafeBytes { buffer in
                try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: buffer.baseAddress!))
            }
            if request.method != .post {
                try easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
        } else {
            try easy.set(CURLOPT_HTTPGET, true)
            if request.method != .get {
                try easy.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
        }
    }

    /// The request's headers as libcurl lines, plus suppressions of libcurl's own defaults:
    /// no `Expect: 100-continue` round trip, and no invented form Content-Type for a body.
    private static func headerLines(_ request: HTTPRequest) -> [String] {
        // "Name;" sends an empty header; "Name:" would remove it.
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("expect") { lines.append("Expect:") }
        if !names.contains("content-type") { lines.append("Content-Type:") }
        return lines
    }

    /// Line breaks or NULs in a header would let a configured value inject headers.
    private static func validate(_ header: HTTPHeader) throws {
        guard !header.name.isEmpty, !header.name.utf8.contains(where: { isLineBreakOrNUL($0) || $0 == UInt8(ascii: ":") })
        else { throw CurlError.badArgument("invalid header name \(String(reflecting: header.name))") }
        guard !header.value.utf8.contains(where: isLineBreakOrNUL)
        else { throw CurlError.badArgument("header \(header.name) has a line break or NUL in its value") }
    }
}

/// Checked on bytes: in Swift "\r\n" is one Character, equal to neither "\r" nor "\n".
func isLineBreakOrNUL(_ byte: UInt8) -> Bool {
    byte == 0x0D || byte == 0x0A || byte == 0
}
