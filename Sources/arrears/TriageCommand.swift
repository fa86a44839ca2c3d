import ArgumentParser
import Dunning
import Foundation
import Mail
import Triage

struct TriageCommand: ParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Classify one reply to a payment reminder, read from standard input, and print the result as JSON.",
        discussion: """
            Standard input holds one raw RFC 822 message (headers, a blank line, the body; MIME, bounces \
            and delivery status notifications included) or plain text, which is taken as the body. \
            Input counts as a message when it starts with header fields that include a usual one \
            (From, To, Subject, Date, Message-ID, Content-Type, Received, …).

            Dates such as "next Friday" or "Ende des Monats" are read relative to the day of the \
            message's Date header, else --now, else today, in UTC.

            Prints one JSON object on one line, with sorted keys that are always present (null when \
            absent): kind (promise_to_pay, dispute, already_paid, out_of_office, bounce, contact_change, \
            unsubscribe, question, other), promised_on and return_on (YYYY-MM-DD), amount_cents (minor \
            units) and currency, new_contact {name, email}, bounce (hard or soft), invoices, confidence \
            (0 to 1) and reasons.

            Example: arrears triage --now 2026-03-02 --invoice RE-2026-0042 --currency EUR < reply.eml
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The day to read relative dates from when the message has no Date header.", valueName: "YYYY-MM-DD"))
    var now: String?

    @Option(name: .customLong("invoice"), parsing: .upToNextOption,
            help: ArgumentHelp("The customer's open invoice numbers, recognised however the reply writes them.", valueName: "number"))
    var invoices: [String] = []

    @Option(help: ArgumentHelp("The currency of amounts written without one, such as 1.234,56.", valueName: "code"))
    var currency: String?

    func validate() throws {
        if let now, CalendarDate(now) == nil {
            throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD, like 2026-03-02")
        }
        if let currency, CurrencyCode(code: currency) == nil {
            throw ValidationError("--currency \"\(currency)\" is not a currency code; use three capital letters such as EUR")
        }
    }

    func run() throws {
        let input = try TriageInput(readingToEndOf: STDIN_FILENO)
        let context = TriageContext(openInvoiceNumbers: invoices, defaultCurrency: currency.flatMap { CurrencyCode(code: $0) })
        let classifier = TriageClassifier()
        let result = switch input {
        case let .message(message):
            classifier.classify(message, sentAt: message.date ?? referenceInstant(in: context.timeZone), context: context)
        case let .text(text):
            classifier.classify(text: text, sentAt: referenceInstant(in: context.timeZone), context: context)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    /// Noon of --now in the context's zone, well clear of the day's edges; else the clock.
    private func referenceInstant(in zone: TimeZone) -> Date {
        guard let day = now.flatMap(CalendarDate.init) else { return SystemTimeSource().now() }
        return day.instant(at: TimeOfDay(hour: 12, minute: 0)!, in: zone)
    }
}

/// What standard input held: a message, or text to read as its body.
enum TriageInput {
    case message(ParsedMessage)
    case text(String)

    /// Reads the descriptor to its end; read(2) directly, so a failure is reported as the system words it.
    init(readingToEndOf descriptor: Int32) throws(TriageInputError) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(String(cString: strerror(errno)))
            }
            bytes += chunk[..<count]
        }
        try self.init(bytes)
    }

    init(_ bytes: [UInt8]) throws(TriageInputError) {
        do {
            let message = try ParsedMessage(parsing: bytes)
            if message.headers.fields.contains(where: { Self.messageFields.contains($0.name.lowercased()) }) {
                self = .message(message)
                return
            }
        } catch .empty {
            throw .empty
        } catch {
            // Not a message: read it as text below.
        }
        // Plain text has no charset label; anything but UTF-8 would be guessed wrong, and NUL means binary.
        guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            throw .notText
        }
        self = .text(text)
    }

    /// A first line such as "Note: we pay on Friday" parses as a header field; only these mark a real message.
    private static let messageFields: Set<String> = [
        "from", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references", "reply-to", "sender",
        "return-path", "received", "mime-version", "content-type", "content-transfer-encoding",
    ]
}

enum TriageInputError: Error, CustomStringConvertible {
    case empty
    case notText
    case readFailed(String)

    var description: String {
        switch self {
        case .empty: "no message on standard input; pipe in a raw RFC 822 message or the text of a reply"
        case .notText: "standard input is neither an RFC 822 message nor UTF-8 text"
        case let .readFailed(reason): "standard input could not be read: \(reason)"
        }
    }
}
