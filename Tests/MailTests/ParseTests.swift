import Foundation
import Testing
@testable import Mail

@Suite struct ParseTests {
    static func parse(_ text: String) throws -> ParsedMessage {
        try ParsedMessage(parsing: text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test func unfoldsHeadersAndDecodesEncodedWords() throws {
        let message = try Self.parse("""
            From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>
            To: =?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <jm@example.de>
            Subject: =?UTF-8?B?WmFobHVuZ3NlcmlubmVydW5nIGbDvHI=?=
             =?UTF-8?Q?_Rechnung_RE-42?=
            Date: Tue, 10 Mar 2026 09:15:00 +0100
            Message-ID: <abc@example.de>

            Body
            """)
        #expect(message.from == [MailAddress("PIRARD@vm1.ulg.ac.be", name: "André Pirard")])
        #expect(message.to.first?.name == "Jürgen Müller")
        #expect(message.subject == "Zahlungserinnerung für Rechnung RE-42")
    }

    @Test func decodesWindows1252AndLatin1EncodedWords() {
        #expect(EncodedWords.decode("=?windows-1252?Q?=93Quoted=94_=80_100?=") == "“Quoted” € 100")
        #expect(EncodedWords.decode("=?iso-8859-1?q?fran=E7ais?= text") == "français text")
        #expect(EncodedWords.decode("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)") == "(ab)")
        #expect(EncodedWords.decode("=?ISO-8859-1?Q?a?= b") == "a b")
        // A character split across two words, as some encoders do.
        #expect(EncodedWords.decode("=?UTF-8?B?w6Q=?= =?UTF-8?B?w7w=?=") == "äü")
        #expect(EncodedWords.decode("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A4?=") == "ä")
        #expect(EncodedWords.decode("=?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?=") == "Grüße")
    }

    @Test func readsUndeclaredEightBitHeaders() throws {
        let latin1: [UInt8] = Array("Subject: Rechnung f".utf8) + [0xFC] + Array("r M\r\nFrom: a@b.example\r\n\r\nx".utf8)
        #expect(try ParsedMessage(parsing: latin1).subject == "Rechnung für M")
        let utf8 = try Self.parse("Subject: Réponse à votre relance\nFrom: a@b.example\n\nx")
        #expect(utf8.subject == "Réponse à votre relance")
    }

    @Test func parsesAddressLists() {
        let list = MailAddress.parseList(
            #""Roe, Jane" <jane@acme.example>, bob@acme.example (Bob Smith), Accounts: ap@acme.example, "#
                + #"<ar@acme.example>;, 'Anne Dupont' <anne@acme.example>, <@relay.example:route@acme.example>, "#
                + #"undisclosed-recipients:;, John Doe, =?UTF-8?Q?K=C3=B6nig?= <k@acme.example>"#
        )
        #expect(list == [
            MailAddress("jane@acme.example", name: "Roe, Jane"),
            MailAddress("bob@acme.example", name: "Bob Smith"),
            MailAddress("ap@acme.example"),
            MailAddress("ar@acme.example"),
            MailAddress("anne@acme.example", name: "Anne Dupont"),
            MailAddress("route@acme.example"),
            MailAddress("k@acme.example", name: "König"),
        ])
        #expect(MailAddress(parsing: "MAILER-DAEMON (Mail Delivery System)") == MailAddress("MAILER-DAEMON", name: "Mail Delivery System"))
        #expect(MailAddress(parsing: "\"a\\\"b\" <x@y.example>")?.name == "a\"b")
        #expect(MailAddress(parsing: "Jane <jane@acme.example") == MailAddress("jane@acme.example", name: "Jane"))
    }

    @Test func parsesDatesInTheFormsSeenInMail() {
        let expected = Date(timeIntervalSince1970: 1_773_568_800)  // 2026-03-15 10:00:00 UTC
        #expect(MailDate.parse("Sun, 15 Mar 2026 10:00:00 +0000") == expected)
        #expect(MailDate.parse("15 Mar 2026 11:00:00 +0100") == expected)
        #expect(MailDate.parse("Sun, 15 Mar 2026 05:00:00 -0500 (EST)") == expected)
        #expect(MailDate.parse("Sun, 15 Mar 26 10:00 GMT") == expected)
        #expect(MailDate.parse("Sun, 15 Mar 2026 03:00:00 PDT") == expected)
        #expect(MailDate.parse("Sunday, 15 March 2026 11:00:00 CET") == expected)
        #expect(MailDate.parse("2026-03-15T11:00:00+01:00") == expected)
        #expect(MailDate.parse("Sun, 15 Mar 2026 10:00:00") == expected)
        #expect(MailDate.parse("not a date") == nil)
        #expect(MailDate.parse("31 Feb 2026 10:00:00 +0000") == nil)
        let formatted = MailDate.format(expected, timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(formatted == "Sun, 15 Mar 2026 06:00:00 -0400")
        #expect(MailDate.parse(formatted) == expected)
    }

    @Test func keepsThreadIdentifiersAsLists() throws {
        let message = try Self.parse("""
            From: jane@acme.example
            Message-ID: <reply-1@acme.example>
            In-Reply-To: <r2@supplier.example> (Supplier's message of Tue)
            References: <r1@supplier.example>
             <r2@supplier.example>
            Date: Wed, 11 Mar 2026 08:00:00 +0100

            ok
            """)
        #expect(message.messageID == "reply-1@acme.example")
        #expect(message.inReplyTo == ["r2@supplier.example"])
        #expect(message.references == ["r1@supplier.example", "r2@supplier.example"])
        #expect(message.date == MailDate.parse("Wed, 11 Mar 2026 07:00:00 +0000"))
    }

    @Test func readsNestedMultipartWithMixedEncodingsAndCharsets() throws {
        let html = "<html><body><p>Wir zahlen am <b>20.03.</b></p><div>Gr&uuml;&szlig;e</div></body></html>"
        let message = try Self.parse("""
            From: jane@acme.example
            Content-Type: multipart/mixed; boundary="outer"

            preamble
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: quoted-printable

            Wir zahlen am 20.03. =
            Gr=FC=DFe
            --inner
            Content-Type: text/html; charset="utf-8"
            Content-Transfer-Encoding: base64

            \(Data(html.utf8).base64EncodedString(options: [.lineLength76Characters]))
            --inner--
            --outer
            Content-Type: application/pdf; name="remittance.pdf"
            Content-Disposition: attachment; filename*=UTF-8''Zahlungsavis%20M%C3%A4rz.pdf
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer--
            epilogue
            """)
        #expect(message.plainBody == "Wir zahlen am 20.03. Grüße")
        #expect(message.htmlBody == html)
        #expect(message.text == "Wir zahlen am 20.03. Grüße")
        #expect(message.attachments.map(\.filename) == ["Zahlungsavis März.pdf"])
        #expect(message.attachments.first?.body == Array("%PDF-1.4\n".utf8))
    }

    @Test func htmlOnlyMessageBecomesReadableText() throws {
        let message = try Self.parse("""
            From: jane@acme.example
            Content-Type: text/html; charset=windows-1252
            Content-Transfer-Encoding: quoted-printable

            <html><head><style>p {color:red}</style><title>x</title></head><body>
            <p>Hello,</p><p>we paid =80&nbsp;1.234,56 on Monday.<br>Regards</p>
            <p>Contact <a href=3D"mailto:jane.roe@acme.example">Jane Roe</a> please.</p>
            <script>alert(1)</script><!-- hidden -->
            <div class=3D"gmail_quote">On Tue, 10 Mar 2026 at 09:15, AR &lt;ar@supplier.example&gt; wrote:<br>
            <blockquote>Please pay invoice 42.<blockquote>older</blockquote></blockquote></div>
            </body></html>
            """)
        #expect(message.plainBody == nil)
        #expect(message.text == """
            Hello,

            we paid € 1.234,56 on Monday.
            Regards

            Contact Jane Roe <jane.roe@acme.example> please.

            On Tue, 10 Mar 2026 at 09:15, AR <ar@supplier.example> wrote:
            > Please pay invoice 42.
            > > older
            """)
        #expect(message.newText == "Hello,\n\nwe paid € 1.234,56 on Monday.\nRegards\n\nContact Jane Roe <jane.roe@acme.example> please.")
    }

    @Test func missingContentTypeMeansPlainText() throws {
        let message = try Self.parse("From: a@b.example\nSubject: hi\n\nJust text\nover lines")
        #expect(message.root.contentType.mimeType == "text/plain")
        #expect(message.text == "Just text\nover lines")
    }
}
