import Curl
import Foundation
import Logging

/// Delivers signed JSON to a tenant's webhook endpoint, retrying what may succeed later.
///
/// Each request carries `Content-Type: application/json`, `Arrears-Signature` (see
/// `WebhookSignature`), `Arrears-Event` and `Arrears-Delivery`, which stays the same across
/// retries of one delivery so the receiver can drop duplicates. 2xx is success. 408, 429, 5xx,
/// time-outs and failed connections are retried with exponential backoff and jitter until
/// `maxAttempts` or the time budget runs out; anything else (another 4xx, a refused address,
/// an invalid URL) fails at once.
public struct WebhookNotifier: Sendable {
    public struct Retry: Sendable {
        public var maxAttempts: Int
        /// All attempts and the waits between them end within this time.
        public var budget: Duration
        public var attemptTimeout: Duration
        public var firstBackoff: Duration
        public var maxBackoff: Duration

        public init(
            maxAttempts: Int = 5, budget: Duration = .seconds(60), attemptTimeout: Duration = .seconds(10),
            firstBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(10)
        ) {
            self.maxAttempts = maxAttempts
            self.budget = budget
            self.attemptTimeout = attemptTimeout
            self.firstBackoff = firstBackoff
            self.maxBackoff = maxBackoff
        }
    }

    private let client: CurlClient
    private let policy: OutboundPolicy
    private let retry: Retry
    private let logger: Logger

    /// `policy` is normally `OutboundPolicy.forTenantDestinations()`.
    public init(client: CurlClient = .shared, policy: OutboundPolicy, retry: Retry = Retry(), logger: Logger) {
        self.client = client
        self.policy = policy
        self.retry = retry
        self.logger = logger
    }

    /// Posts `payload` encoded as JSON (keys sorted, so a retry sends the same bytes).
    @discardableResult
    public func deliver<Payload: Encodable>(
        _ payload: Payload, event: String, deliveryID: String, to url: String, secret: Secret
    ) async throws -> WebhookDelivery {
        let body: [UInt8]
        do {
            body = try Self.body(payload)
        } catch {
            throw WebhookError(reason: "the payload cannot be encoded as JSON: \(error)", attempts: 0, isTemporary: false)
        }
        return try await deliver(body: body, event: event, deliveryID: deliveryID, to: url, secret: secret)
    }

    /// The JSON a payload is posted as: keys sorted, so a retry (or a recorded copy) is the same bytes.
    public static func body<Payload: Encodable>(_ payload: Payload) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(payload))
    }

    /// Posts `body`, which must be JSON, as is.
    @discardableResult
    public func deliver(body: [UInt8], event: String, deliveryID: String, to url: String, secret: Secret) async throws -> WebhookDelivery {
        do {
            try TenantURL.validate(url)
        } catch {
            throw WebhookError(reason: "invalid webhook URL: \(error)", attempts: 0, isTemporary: false)
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: retry.budget)
        var attempt = 0
        while true {
            attempt += 1
            let remaining = clock.now.duration(to: deadline)
            let request = HTTPRequest(
                method: .post,
                url: url,
                headers: [
                    HTTPHeader("Content-Type", "application/json"),
                    HTTPHeader("User-Agent", "arrears-webhook/1"),
                    HTTPHeader("Arrears-Event", event),
                    HTTPHeader("Arrears-Delivery", deliveryID),
                    HTTPHeader(WebhookSignature.headerName, WebhookSignature.header(
                        for: body, secret: secret, timestamp: Int64(Date().timeIntervalSince1970))),
                ],
                body: body,
                timeout: min(retry.attemptTimeout, max(remaining, .milliseconds(1))),
                connectTimeout: min(retry.attemptTimeout, max(remaining, .milliseconds(1))),
                maxResponseBytes: 64 * 1024,
                policy: policy)

            let failure: (reason: String, retryable: Bool, retryAfter: Duration?)
            do {
                let response = try await client.perform(request)
                if (200..<300).contains(response.status) {
                    return WebhookDelivery(status: response.status, attempts: attempt, responseBody: response.body)
                }
                let retryable = response.status == 408 || response.status == 429 || response.status >= 500
                failure = ("the endpoint answered HTTP \(response.status)", retryable, Self.retryAfter(response))
            } catch let error as CurlError {
                failure = (error.description, Self.isRetryable(error), nil)
            }

            guard failure.retryable else {
                throw WebhookError(reason: failure.reason, attempts: attempt, isTemporary: false)
            }
            let wait = max(backoff(after: attempt), failure.retryAfter ?? .zero)
            guard attempt < retry.maxAttempts, clock.now.advanced(by: wait) < deadline else {
                throw WebhookError(reason: failure.reason, attempts: attempt, isTemporary: true)
            }
            logger.info("webhook attempt failed; retrying", metadata: [
                "event": "\(event)", "delivery": "\(deliveryID)", "attempt": "\(attempt)", "reason": "\(failure.reason)",
            ])
            try await Task.sleep(for: wait)
        }
    }

    /// Exponential, capped, with jitter in [50 %, 100 %] so that many failed deliveries do not
    /// come back at the same instant.
    private func backoff(after attempt: Int) -> Duration {
        let exponential = retry.firstBackoff * (1 << min(attempt - 1, 20))
        let capped = min(exponential, retry.maxBackoff)
        return capped * Double.random(in: 0.5...1.0)
    }

    private static func retryAfter(_ response: HTTPResponse) -> Duration? {
        guard let value = response.header("Retry-After"), let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
            return nil
        }
        return .seconds(seconds)
    }

    /// A refused address, an untrusted certificate or an invalid request will not change by
    /// waiting; the network may. (The URL was validated, so its scheme and shape are fine.)
    private static func isRetryable(_ error: CurlError) -> Bool {
        error.refusedAddress == nil
            && ![CurlError.badArgument, CurlError.peerFailedVerification, CurlError.responseTooLarge].contains(error.code)
    }
}

/// A delivery the endpoint accepted.
public struct WebhookDelivery: Sendable {
    public let status: Int
    public let attempts: Int
    public let responseBody: [UInt8]
}

/// A delivery that did not succeed. `isTemporary` failures (5xx, time-outs) may succeed when the
/// task is retried later; permanent ones need the tenant to fix the endpoint or its URL.
public struct WebhookError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public let attempts: Int
    public let isTemporary: Bool

    public var description: String {
        "webhook delivery failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
    }
}
