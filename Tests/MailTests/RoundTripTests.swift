import Foundation
import Testing
@testable import Mail

@Suite struct RoundTripTests {
    @Test func composedMessageParsesBackToTheSameFields() throws {
        var mail = OutgoingMail(
            from: MailAddress("ar@supplier.example", name: "Société Générale de Café — Comptabilité"),
            to: [MailAddress("jane@acme.example", name: "Jane Roe"), MailAddress("ap@acme.example")],
            cc: [MailAddress("owner@supplier.example", name: "O'Brien, Seán")],
            replyTo: [MailAddress("replies+t42@supplier.example", name: "Accounts Receivable")],
            subject: "Relance : facture n° FA-2026-017 échue depuis 30 jours — merci de régulariser rapidement",
            date: Date(timeIntervalSince1970: 1_773_568_800),
            timeZone: TimeZone(identifier: "Europe/Paris")!,
            messageID: MessageID.deterministic(taskID: "7d1c", step: "outreach-2", domain: "supplier.example"),
            extraHeaders: [MailHeader("Auto-Submitted", "auto-generated"), MailHeader("X-Arrears-Customer", "Café Crème SARL")],
            textBody: "Bonjour,\n\nla facture FA-2026-017 (1 234,56 €) est échue.\n" + String(repeating: "é", count: 200) + "\n\nCordialement",
            htmlBody: "<html><body><p>Bonjour,</p><p>la facture <b>FA-2026-017</b> (1&nbsp;234,56&nbsp;€) est échue.</p></body></html>"
        )
        mail.continueThread(after: "prev@supplier.example", parentReferences: ["root@supplier.example", "prev@supplier.example"])

        let parsed = try ParsedMessage(parsing: mail.data)
        #expect(parsed.from == [mail.from])
        #expect(parsed.to == mail.to)
        #expect(parsed.cc == mail.cc)
        #expect(parsed.replyTo == mail.replyTo)
        #expect(parsed.subject == mail.subject)
        #expect(parsed.date == mail.date)
        #expect(parsed.messageID == mail.messageID)
        #expect(parsed.inReplyTo == ["prev@supplier.example"])
        #expect(parsed.references == ["root@supplier.example", "prev@supplier.example"])
        #expect(parsed.headers["Auto-Submitted"] == "auto-generated")
        #expect(parsed.headers["X-Arrears-Customer"].map(EncodedWords.decode) == "Café Crème SARL")
        #expect(parsed.plainBody == mail.textBody)
        #expect(parsed.htmlBody == mail.htmlBody)
        #expect(parsed.text == parsed.plainBody)
    }

    @Test func longReferencesChainFoldsAndSurvives() throws {
        var mail = ComposeTests.reminder()
        let chain = (1...12).map { "message-\($0)-\(String(repeating: "x", count: 20))@supplier.example" }
        mail.continueThread(after: chain.last!, parentReferences: Array(chain.dropLast()))
        let rendered = String(decoding: mail.rendered(), as: UTF8.self)
        #expect(rendered.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let parsed = try ParsedMessage(parsing: mail.rendered())
        #expect(parsed.references == chain)
    }

    @Test func encodedWordsRoundTripForAwkwardText() {
        let samples = [
            "Grüße aus Köln", "=?not an encoded word?=", "emoji 👍🏽 and 中文 mixed", "a_b=c?d",
            String(repeating: "ü", count: 100), "trailing ü", "ü leading",
        ]
        for sample in samples {
            let tokens = HeaderWriter.unstructuredTokens(sample, fieldName: "Subject")
            let folded = HeaderWriter.field("Subject", tokens: tokens)
            let unfolded = folded.replacingOccurrences(of: "\r\n", with: "").dropFirst("Subject: ".count)
            #expect(EncodedWords.decode(String(unfolded)) == sample)
            #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        }
    }

    @Test func quotedPrintableRoundTripsArbitraryText() {
        let samples = ["", "plain", "tab\tend\t", "trailing space ", String(repeating: "=€", count: 100), "line\nbreaks\r\nmixed\rhere"]
        for sample in samples {
            let encoded = TransferEncoding.quotedPrintable(sample)
            let decoded = String(decoding: TransferEncoding.decodeQuotedPrintable(encoded), as: UTF8.self)
            let expected = TransferEncoding.normalizedLines(sample).joined(separator: "\r\n")
            #expect(decoded == expected)
            #expect(String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        }
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(SHA256.hash(long)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
