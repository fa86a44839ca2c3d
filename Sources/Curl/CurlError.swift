import CCurl

/// A failed transfer: the libcurl result code and what went wrong, in words.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The CURLcode libcurl reported (see `curl_easy_strerror`).
    public let code: Int
    /// libcurl's description of `code`, followed by its detail text for this transfer.
    public let message: String
    /// The last reply code the SMTP server sent (e.g. 535 for refused credentials), if any.
    public let smtpResponseCode: Int?
    /// The resolved address the outbound policy refused to connect to, if that is why it failed.
    public let refusedAddress: String?

    public init(code: Int, message: String, smtpResponseCode: Int? = nil, refusedAddress: String? = nil) {
        self.code = code
        self.message = message
        self.smtpResponseCode = smtpResponseCode
        self.refusedAddress = refusedAddress
    }

    public var description: String {
        var text = "curl error \(code): \(message)"
        if let smtpResponseCode { text += " (SMTP reply \(smtpResponseCode))" }
        return text
    }
}

extension CurlError {
    /// The connection could not be made, including when the outbound policy refused the address.
    public static let couldNotConnect = Int(CURLE_COULDNT_CONNECT.rawValue)
    /// The total or connect timeout elapsed.
    public static let operationTimedOut = Int(CURLE_OPERATION_TIMEDOUT.rawValue)
    /// The response body was larger than the request allowed.
    public static let responseTooLarge = Int(CURLE_FILESIZE_EXCEEDED.rawValue)
    /// The server's TLS certificate could not be verified.
    public static let peerFailedVerification = Int(CURLE_PEER_FAILED_VERIFICATION.rawValue)
    /// The server refused the login.
    public static let loginDenied = Int(CURLE_LOGIN_DENIED.rawValue)
    /// The request itself was invalid (for example a header with a line break).
    public static let badArgument = Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue)

    init(code: CURLcode, detail: String = "") {
        let summary = String(cString: curl_easy_strerror(code))
        self.init(code: Int(code.rawValue), message: detail.isEmpty ? summary : "\(summary): \(detail)")
    }

    static func badArgument(_ reason: String) -> CurlError {
        CurlError(code: CURLE_BAD_FUNCTION_ARGUMENT, detail: reason)
    }
}
