import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One transfer from configuration to result, with the state libcurl's callbacks fill in.
///
/// Ownership moves rather than being shared: the caller configures it, the driver thread
/// alone touches it while libcurl runs it, and the caller reads it after the continuation
/// resumes (which orders those accesses). Hence `@unchecked Sendable`.
final class Transfer: @unchecked Sendable {
    let easy: EasyHandle
    private let policy: OutboundPolicy
    private let maxResponseBytes: Int?
    private let upload: [UInt8]
    private var uploadOffset = 0
    private(set) var body: [UInt8] = []
    private(set) var headers: [HTTPHeader] = []
    private(set) var refusedAddresses: [String] = []
    private(set) var exceededResponseLimit = false

    // Guarded by the driver's lock: how a waiting caller is resumed or cancelled.
    var continuation: CheckedContinuation<CURLcode, any Error>?
    var cancelRequested = false
    var submitted = false

    struct Options {
        var url: String
        var protocols: String
        var policy: OutboundPolicy
        var tls: TLSVerification
        var timeout: Duration
        var connectTimeout: Duration
        var maxResponseBytes: Int?
        var upload: [UInt8]
    }

    init(_ options: Options) throws {
        easy = try EasyHandle()
        policy = options.policy
        maxResponseBytes = options.maxResponseBytes
        upload = options.upload

        let context = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_URL, options.url)
        try easy.set(CURLOPT_PROTOCOLS_STR, options.protocols)
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, options.protocols)
        // Timeouts must not use signals: they are process-wide and this runs on a thread.
        try easy.set(CURLOPT_NOSIGNAL, true)
        // With a proxy the policy would judge the proxy's address, not the destination's,
        // so proxies (including *_proxy environment variables) are not used.
        try easy.set(CURLOPT_PROXY, "")
        try easy.set(CURLOPT_TIMEOUT_MS, options.timeout.curlMilliseconds)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.curlMilliseconds)
        try configureTLS(options.tls)

        try easy.setOpenSocket(openSocketCallback)
        try easy.set(CURLOPT_OPENSOCKETDATA, pointer: context)

        try easy.set(CURLOPT_WRITEFUNCTION, write: receiveBodyCallback)
        try easy.set(CURLOPT_WRITEDATA, pointer: context)
        // Always ours: libcurl's default read function would read the process's stdin.
        try easy.setRead(sendUploadCallback)
        try easy.set(CURLOPT_READDATA, pointer: context)
        try easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(upload.count))
    }

    /// Collects response headers, keeping only the last response's when there were
    /// several (interim 1xx responses, followed redirects).
    func collectHeaders() throws {
        try easy.set(CURLOPT_HEADERFUNCTION, write: receiveHeaderCallback)
        try easy.set(CURLOPT_HEADERDATA, pointer: Unmanaged.passUnretained(self).toOpaque())
    }

    /// The error for a finished transfer's result, or nil when it succeeded.
    func error(for code: CURLcode, smtp: Bool) -> CurlError? {
        guard code != CURLE_OK else { return nil }
        if code == CURLE_COULDNT_CONNECT, let refused = refusedAddresses.first {
            return CurlError(
                code: Int(code.rawValue),
                message: "refused to connect to \(refusedAddresses.joined(separator: ", ")): "
                    + "internal addresses are not allowed by the outbound policy (allowPrivateAddresses is false)",
                refusedAddress: refused)
        }
        if let maxResponseBytes, exceededResponseLimit || code == CURLE_FILESIZE_EXCEEDED {
            return CurlError(
                code: CurlError.responseTooLarge,
                message: "response body exceeds the limit of \(maxResponseBytes) bytes")
        }
        let generic = CurlError(code: code, detail: easy.errorText)
        let reply = easy.info(CURLINFO_RESPONSE_CODE)
        return CurlError(
            code: generic.code, message: generic.message,
            smtpResponseCode: smtp && reply != 0 ? reply : nil)
    }

    private func configureTLS(_ tls: TLSVerification) throws {
        switch tls {
        case .system:
            try easy.set(CURLOPT_SSL_VERIFYPEER, true)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        case .caFile(let path):
            try easy.set(CURLOPT_SSL_VERIFYPEER, true)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
            try easy.set(CURLOPT_CAINFO, path)
        case .disabled:
            try easy.set(CURLOPT_SSL_VERIFYPEER, false)
            try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    // MARK: Callback bodies, run on the driver thread.

    fileprivate func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        if !policy.allowPrivateAddresses {
            let verdict = InternalAddress.classify(ccurl_sockaddr_address(address))
            if verdict.isInternal {
                refusedAddresses.append(verdict.text)
                return CURL_SOCKET_BAD
            }
        }
        // Close-on-exec so child processes this server starts never inherit connections.
        #if os(Linux)
        let type = address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = address.pointee.socktype
        #endif
        return socket(address.pointee.family, type, address.pointee.protocol)
    }

    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let maxResponseBytes, body.count + bytes.count > maxResponseBytes {
            exceededResponseLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        var bytes = line[...]
        while let last = bytes.last, last == 0x0D || last == 0x0A { bytes = bytes.dropLast() }
        if bytes.starts(with: Array("HTTP/".utf8)) {
            headers.removeAll()
        } else if let first = bytes.first, first == 0x20 || first == 0x09, !headers.isEmpty {
            headers[headers.count - 1].value += " " + Self.trimmed(bytes)   // obsolete line folding
        } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            headers.append(HTTPHeader(Self.trimmed(bytes[..<colon]), Self.trimmed(bytes[(colon + 1)...])))
        }
    }

    fileprivate func readUpload(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, upload.count - uploadOffset)
        upload.withUnsafeBytes { source in
            UnsafeMutableRawPointer(buffer).copyMemory(
                from: source.baseAddress! + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        var slice = bytes
        while let first = slice.first, isBlank(first) { slice = slice.dropFirst() }
        while let last = slice.last, isBlank(last) { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}

private func transfer(_ context: UnsafeMutableRawPointer?) -> Transfer {
    Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
}

private let openSocketCallback: curl_opensocket_callback = { context, _, address in
    guard let address else { return CURL_SOCKET_BAD }
    return transfer(context).openSocket(address)
}

private let receiveBodyCallback: curl_write_callback = { data, size, count, context in
    let length = size * count
    // Returning fewer bytes than offered makes libcurl abort the transfer.
    return transfer(context).receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private let receiveHeaderCallback: curl_write_callback = { data, size, count, context in
    let length = size * count
    transfer(context).receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private let sendUploadCallback: curl_read_callback = { buffer, size, count, context in
    guard let buffer else { return 0 }
    return transfer(context).readUpload(into: buffer, capacity: size * count)
}

extension Duration {
    /// Whole milliseconds, at least 1: libcurl reads 0 as "no timeout".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let clampedSeconds = min(max(seconds, 0), Int64(Int.max / 1000 - 1))
        return max(1, Int(clampedSeconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
