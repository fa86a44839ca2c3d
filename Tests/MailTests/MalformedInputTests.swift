import Foundation
import Testing
@testable import Mail

@Suite struct MalformedInputTests {
    @Test func emptyInputIsAClearError() {
        #expect(throws: MailParseError.empty) { try ParsedMessage(parsing: "") }
        #expect(throws: MailParseError.empty) { try ParsedMessage(parsing: " \r\n\r\n") }
    }

    @Test func textWithoutHeadersIsAClearError() {
        #expect(throws: MailParseError.noHeaderFields) { try ParsedMessage(parsing: "Hello, we will pay on Friday.") }
        #expect(MailParseError.noHeaderFields.description.contains("not an RFC 5322 message"))
    }

    @Test func missingBlankLineEndsHeadersAtTheFirstNonHeaderLine() throws {
        let message = try ParsedMessage(parsing: "From: a@b.example\nSubject: x\nthis is body text\nmore")
        #expect(message.subject == "x")
        #expect(message.text == "this is body text\nmore")
    }

    @Test func unterminatedMultipartKeepsWhatArrived() throws {
        let message = try ParsedMessage(parsing: "From: a@b.example\nContent-Type: multipart/alternative; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nWe paid\n--zz\nContent-Type: text/html\n\n<p>We pa")
        #expect(message.text == "We paid")
        #expect(message.htmlBody == "<p>We pa")
    }

    @Test func multipartWithoutBoundaryIsReadAsText() throws {
        let message = try ParsedMessage(parsing: "From: a@b.example\nContent-Type: multipart/mixed\n\nplain words")
        #expect(message.text == "plain words")
        let wrongBoundary = try ParsedMessage(parsing: "From: a@b.example\nContent-Type: multipart/mixed; boundary=abc\n\n--xyz\n\nhidden")
        #expect(wrongBoundary.text.contains("hidden"))
    }

    @Test func brokenEncodingsDoNotCrash() throws {
        let samples = [
            "From: a@b.example\nContent-Transfer-Encoding: base64\n\n!!!not base64***==\n",
            "From: a@b.example\nContent-Transfer-Encoding: quoted-printable\n\n=ZZ=4 =\n=",
            "From: =?UTF-8?B?????=\nSubject: =?UTF-8?Q?unterminated\n\nx",
            "From: <<<>>>,,,;;;:::\"\nTo: (((\nSubject: \"\n\nx",
            "From: a@b.example\nContent-Type: text/plain; charset=klingon\n\n\u{00FC}ber",
            "From: a@b.example\nContent-Type: ; ;;=;\"\nDate: 99 Foo 99999 99:99\n\nx",
            "From: a@b.example\nContent-Type: message/rfc822\n\nnot a message",
            "From: a@b.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=q\n\n--q\nContent-Type: message/delivery-status\n\nnonsense line\n\nAction\n--q--",
        ]
        for sample in samples {
            let message = try ParsedMessage(parsing: sample)
            #expect(message.from.count <= 3)
        }
        let undecodable = try ParsedMessage(parsing: Array("From: a@b.example\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n".utf8) + [0xFF, 0xFE, 0x41])
        #expect(undecodable.text == "ÿþA")
    }

    @Test func randomBytesNeverCrash() {
        var generator = SplitMix64(seed: 42)
        let alphabet = Array("From: a@b\r\nContent-Type: multipart/mixed; boundary=b\r\n--b\r\n=?=<>\"();:,@ \t=\r\n\u{00E4}x".utf8)
        for _ in 0..<500 {
            let length = Int(generator.next() % 400)
            let bytes = (0..<length).map { _ in
                generator.next() % 5 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            _ = try? ParsedMessage(parsing: bytes)
        }
    }

    @Test func deepNestingIsCutOffInsteadOfOverflowingTheStack() throws {
        var text = "From: a@b.example\n"
        for level in 0..<2000 { text += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        text += "Content-Type: text/plain\n\ndeep"
        let message = try ParsedMessage(parsing: text)
        #expect(message.root.contentType.isMultipart)
    }
}

/// A tiny deterministic generator so the fuzz test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
