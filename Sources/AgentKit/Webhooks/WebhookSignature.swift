import Crypto
import Foundation

/// The signature on every webhook Arrears sends, in the manner of Stripe's:
///
///     Arrears-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
///
/// `t` is the Unix time of the attempt; `v1` is the lowercase hex HMAC-SHA256, keyed with the
/// endpoint's secret (its UTF-8 bytes), of the timestamp, a period and the raw request body:
/// `"\(t).\(body)"`. A receiver recomputes it over the bytes it received, compares in constant
/// time, and rejects timestamps older than a few minutes so a captured request cannot be replayed.
/// Each retry is signed afresh with its own timestamp.
public enum WebhookSignature {
    public static let headerName = "Arrears-Signature"

    public static func header(for body: [UInt8], secret: Secret, timestamp: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: signedBytes(body, timestamp), using: key(secret))
        return "t=\(timestamp),v1=" + Hex.encode(code)
    }

    /// Whether `header` carries a valid `v1` signature of `body` made within `tolerance` of `now`.
    public static func verify(_ header: String, body: [UInt8], secret: Secret, now: Date = Date(), tolerance: Duration = .seconds(300)) -> Bool {
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = Hex.decode(pair[1]) { signatures.append(bytes) }
        }
        guard let timestamp, !signatures.isEmpty,
              abs(now.timeIntervalSince1970 - Double(timestamp)) <= Double(tolerance.components.seconds)
        else { return false }
        let message = signedBytes(body, timestamp)
        return signatures.contains {
            HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key(secret))
        }
    }

    private static func key(_ secret: Secret) -> SymmetricKey {
        SymmetricKey(data: Array(secret.reveal().utf8))
    }

    private static func signedBytes(_ body: [UInt8], _ timestamp: Int64) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }
}
