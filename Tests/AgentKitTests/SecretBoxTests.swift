import AgentKit
import Foundation
import Testing

struct SecretBoxTests {
    let hexKey = String(repeating: "0f", count: 32)

    @Test func aSealedSecretOpensWithTheSameKeyAndPurpose() throws {
        let box = try SecretBox(keyText: hexKey)
        let sealed = try box.seal(Secret("smtp-pässword"), purpose: "tenant:7:smtp_password")
        #expect(!String(decoding: sealed, as: UTF8.self).contains("smtp-pässword"))
        #expect(try box.open(sealed, purpose: "tenant:7:smtp_password").reveal() == "smtp-pässword")
    }

    @Test func sealingTwiceGivesDifferentBytes() throws {
        let box = try SecretBox(keyText: hexKey)
        #expect(try box.seal(Secret("x"), purpose: "p") != box.seal(Secret("x"), purpose: "p"))
    }

    @Test func anotherKeyAnotherPurposeOrAlteredBytesDoNotOpen() throws {
        let box = try SecretBox(keyText: hexKey)
        let other = try SecretBox(key: Array(repeating: 1, count: 32))
        let sealed = try box.seal(Secret("hunter2"), purpose: "tenant:7:webhook_secret")
        #expect(throws: SecretBoxError.cannotOpen) { try other.open(sealed, purpose: "tenant:7:webhook_secret") }
        #expect(throws: SecretBoxError.cannotOpen) { try box.open(sealed, purpose: "tenant:8:webhook_secret") }
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(throws: SecretBoxError.cannotOpen) { try box.open(altered, purpose: "tenant:7:webhook_secret") }
        #expect(throws: SecretBoxError.unknownFormat) { try box.open([9] + sealed.dropFirst(), purpose: "tenant:7:webhook_secret") }
    }

    @Test func theKeyIsReadAsHexOrBase64FromTheEnvironment() throws {
        let bytes = (0..<32).map { UInt8($0 * 7 % 256) }
        let base64 = Data(bytes).base64EncodedString()
        let fromBase64 = try SecretBox.fromEnvironment(["ARREARS_SECRET_KEY": base64])
        let fromHex = try SecretBox.fromEnvironment(["ARREARS_SECRET_KEY": bytes.map { String(format: "%02X", $0) }.joined()])
        let sealed = try fromBase64.seal(Secret("same key"), purpose: "p")
        #expect(try fromHex.open(sealed, purpose: "p").reveal() == "same key")
    }

    @Test func aMissingOrInvalidKeyIsAClearErrorThatDoesNotRepeatTheKey() {
        #expect(throws: SecretKeyError.missing) { try SecretBox.fromEnvironment([:]) }
        #expect(throws: SecretKeyError.wrongLength(16)) {
            try SecretBox.fromEnvironment(["ARREARS_SECRET_KEY": Data(repeating: 3, count: 16).base64EncodedString()])
        }
        do {
            _ = try SecretBox(keyText: "not a key at all!")
            Issue.record("an unreadable key was accepted")
        } catch {
            #expect(error == .unreadable)
            #expect(error.description.contains("ARREARS_SECRET_KEY"))
            #expect(!error.description.contains("not a key at all"))
        }
    }

    @Test func secretsAreRedactedWhereverTheyArePrinted() throws {
        let password = Secret("hunter2")
        let settings = SMTPSettings(url: "smtp://mail.example.com:587", security: .starttls, username: "ar", password: password)
        var dumped = ""
        dump(settings, to: &dumped)
        for text in ["\(password)", String(describing: password), String(reflecting: password), "\(settings)", dumped,
                     "\(try SecretBox(keyText: hexKey))"] {
            #expect(!text.contains("hunter2"))
            #expect(!text.contains(hexKey))
        }
        #expect("\(settings)".contains("<redacted>"))
    }
}
