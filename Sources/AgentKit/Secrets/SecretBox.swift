import Crypto
import Foundation

/// Seals tenant secrets (SMTP passwords, webhook and inbound secrets) for the database with
/// AES-256-GCM under the operator's key (`ARREARS_SECRET_KEY`).
///
/// Sealed bytes: version `0x01`, then the 12-byte nonce, the ciphertext and the 16-byte tag.
/// Each secret is bound to a *purpose* (for example `"tenant:42:smtp_password"`), authenticated
/// but not stored, so a sealed value copied into another tenant's row or another column does
/// not open.
public struct SecretBox: Sendable, CustomStringConvertible, CustomReflectable {
    public static let environmentVariable = "ARREARS_SECRET_KEY"
    private static let version: UInt8 = 1

    /// Kept as bytes: `SymmetricKey` is not `Sendable`, so one is made for each operation.
    private let keyBytes: [UInt8]

    /// `key` must be 32 bytes.
    public init(key: [UInt8]) throws(SecretKeyError) {
        guard key.count == 32 else { throw .wrongLength(key.count) }
        keyBytes = key
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// The key written as 64 hexadecimal digits or as base64 (standard or URL-safe alphabet).
    public init(keyText: String) throws(SecretKeyError) {
        let text = keyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .missing }
        if text.utf8.count == 64, let bytes = Hex.decode(text) {
            try self.init(key: bytes)
        } else if let data = Self.base64Bytes(text) {
            try self.init(key: data)
        } else {
            throw .unreadable
        }
    }

    /// Reads `ARREARS_SECRET_KEY`. Call it when a secret is needed, so that a deployment without
    /// tenant secrets runs without a key.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretKeyError) -> SecretBox {
        guard let text = environment[environmentVariable] else { throw .missing }
        return try SecretBox(keyText: text)
    }

    public func seal(_ secret: Secret, purpose: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(Array(secret.reveal().utf8), using: key, authenticating: Self.associatedData(purpose))
        // `combined` is nil only for nonces of a non-standard size; seal always uses 12 bytes.
        return [Self.version] + Array(box.combined!)
    }

    /// Throws when the bytes were sealed under another key or purpose, or were altered.
    public func open(_ sealed: [UInt8], purpose: String) throws(SecretBoxError) -> Secret {
        guard sealed.first == Self.version else { throw .unknownFormat }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            let plain = try AES.GCM.open(box, using: key, authenticating: Self.associatedData(purpose))
            guard let text = String(bytes: plain, encoding: .utf8) else { throw SecretBoxError.cannotOpen }
            return Secret(text)
        } catch {
            throw .cannotOpen
        }
    }

    public var description: String { "SecretBox(key: <redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    private static func associatedData(_ purpose: String) -> [UInt8] {
        Array("arrears-secret-v1\u{0}\(purpose)".utf8)
    }

    private static func base64Bytes(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}

/// Why `ARREARS_SECRET_KEY` cannot be used. The key itself never appears in the message.
public enum SecretKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case unreadable
    case wrongLength(Int)

    public var description: String {
        let advice = "set ARREARS_SECRET_KEY to 32 random bytes written as base64 or 64 hex digits, "
            + "for example the output of `openssl rand -base64 32`"
        switch self {
        case .missing: return "a tenant secret needs the operator key, but ARREARS_SECRET_KEY is not set; " + advice
        case .unreadable: return "ARREARS_SECRET_KEY is neither base64 nor hexadecimal; " + advice
        case .wrongLength(let count): return "ARREARS_SECRET_KEY holds \(count) bytes, not 32; " + advice
        }
    }
}

public enum SecretBoxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not sealed by this version of `SecretBox`.
    case unknownFormat
    /// Wrong key, wrong purpose, or altered bytes.
    case cannotOpen

    public var description: String {
        switch self {
        case .unknownFormat: "the sealed secret is not in a format this version can read"
        case .cannotOpen: "the sealed secret does not open with this ARREARS_SECRET_KEY (another key, another tenant or setting, or damaged)"
        }
    }
}
