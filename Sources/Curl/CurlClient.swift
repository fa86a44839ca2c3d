import CCurl

/// The process's door to the network for outbound HTTP and SMTP, backed by libcurl.
///
/// A client drives its transfers on dedicated threads, one per outbound policy: libcurl
/// reuses pooled connections without opening a socket, so a connection to an internal
/// host opened for a trusted request must never sit in the pool a guarded request draws
/// from. Share a client (for example `CurlClient.shared`) rather than creating one per
/// request, so connections are reused.
///
/// Methods throw `CurlError` when a transfer fails, and `CancellationError` when the
/// awaiting task is cancelled, in which case the transfer is stopped.
public final class CurlClient: Sendable {
    /// A client for the whole process.
    public static let shared = CurlClient()

    private let publicDriver: TransferDriver
    private let privateDriver: TransferDriver

    public init() {
        publicDriver = TransferDriver()
        privateDriver = TransferDriver()
    }

    deinit {
        publicDriver.stop()
        privateDriver.stop()
    }

    /// Sends the request and returns the response, whatever its status code.
    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try Transfer(http: request)
        let code = try await driver(for: request.policy).perform(transfer)
        if let error = transfer.error(for: code, smtp: false) { throw error }
        return HTTPResponse(
            status: transfer.easy.info(CURLINFO_RESPONSE_CODE),
            headers: transfer.headers,
            body: transfer.body)
    }

    /// Submits a raw RFC 5322 message, uploaded byte for byte, to the envelope's recipients.
    /// Every recipient must be accepted by the server for the send to succeed.
    public func send(_ message: [UInt8], envelope: SMTPEnvelope, via server: SMTPServer) async throws {
        let transfer = try Transfer(mail: message, envelope: envelope, server: server)
        let code = try await driver(for: server.policy).perform(transfer)
        if let error = transfer.error(for: code, smtp: true) { throw error }
    }

    private func driver(for policy: OutboundPolicy) -> TransferDriver {
        policy.allowPrivateAddresses ? privateDriver : publicDriver
    }
}
