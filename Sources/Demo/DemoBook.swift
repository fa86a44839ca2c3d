import Dunning
import Foundation

/// How a scripted customer behaves when the agents write to it.
public enum Persona: String, Sendable, CaseIterable {
    /// Pays a day after the first reminder.
    case punctual
    /// Pays only after the second reminder.
    case slow
    /// Promises a date, and pays on it.
    case promiseKeeper = "promise_keeper"
    /// Promises a date, and does not pay.
    case promiseBreaker = "promise_breaker"
    /// Disputes the largest invoice, pays the rest.
    case disputer
    /// Answers with an out-of-office reply, pays once back.
    case away
    /// Asks to write to a colleague, who then pays.
    case colleague
    /// Its primary address is dead (mail bounces); the finance address pays once written to.
    case deadContact = "dead_contact"
    /// Asks for a copy of an invoice, pays after the next reminder.
    case asker
    /// Never answers, never pays.
    case silent
    /// A large customer that pays slowly; its account owner is involved.
    case keyAccount = "key_account"
}

/// A customer of the demo book, with what the script needs to act as it.
public struct DemoCustomer: Sendable {
    public let reference: String
    public let name: String
    public let currency: String
    public let timeZone: String
    public let language: String
    public let persona: Persona
    public let contactName: String
    public let contactEmail: String
    /// The finance mailbox (dead-contact customers) or the colleague asked for (colleague customers).
    public let otherEmail: String?
    public let ownerEmail: String?
    /// Open invoices: number and amount in minor units.
    public let openInvoices: [(number: String, amount: Int64)]
}

/// A realistic, reproducible book for the demo tenant: customers in several countries, currencies,
/// time zones and languages, each with a year of paid history (on time or late, as it pays) and open
/// invoices from long overdue to not yet due — written as the four CSV files the importer takes.
public struct DemoBook: Sendable {
    public let customers: [DemoCustomer]
    public let customersCSV: String
    public let contactsCSV: String
    public let invoicesCSV: String
    public let paymentsCSV: String
    public let invoiceCount: Int
    public static let ownerEmail = "maria.weber@acme-tools.example"

    private struct Region {
        let country: String
        let currency: String
        let exponent: Int
        let zones: [String]
        let language: String
        let suffixes: [String]
        let names: [String]
        let people: [String]
        /// Typical invoice size in major units.
        let scale: Double
    }

    private static let regions = [
        Region(country: "de", currency: "EUR", exponent: 2, zones: ["Europe/Berlin"], language: "de",
               suffixes: ["GmbH", "AG", "KG"], names: ["Müller", "Schmidt", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter"],
               people: ["Anna Bauer", "Jonas Klein", "Lea Wolf", "Paul Neumann"], scale: 1),
        Region(country: "fr", currency: "EUR", exponent: 2, zones: ["Europe/Paris"], language: "fr",
               suffixes: ["SARL", "SAS"], names: ["Dubois", "Laurent", "Moreau", "Lefèvre", "Girard", "Bonnet"],
               people: ["Camille Martin", "Louis Bernard", "Chloé Petit", "Hugo Robert"], scale: 1),
        Region(country: "uk", currency: "GBP", exponent: 2, zones: ["Europe/London"], language: "en",
               suffixes: ["Ltd", "plc"], names: ["Thornton", "Whitfield", "Ashby", "Caldwell", "Pemberton"],
               people: ["Oliver Hughes", "Amelia Clarke", "Harry Lewis"], scale: 0.9),
        Region(country: "us", currency: "USD", exponent: 2, zones: ["America/New_York", "America/Chicago", "America/Los_Angeles"],
               language: "en", suffixes: ["Inc.", "LLC", "Corp."], names: ["Redwood", "Summit", "Lakeside", "Granite", "Harbor", "Prairie"],
               people: ["Emily Carter", "Michael Brooks", "Sarah Mitchell", "David Kim"], scale: 1.2),
        Region(country: "ch", currency: "CHF", exponent: 2, zones: ["Europe/Zurich"], language: "de",
               suffixes: ["AG", "GmbH"], names: ["Keller", "Frei", "Brunner", "Meier"],
               people: ["Nina Huber", "Luca Steiner"], scale: 1.1),
        Region(country: "jp", currency: "JPY", exponent: 0, zones: ["Asia/Tokyo"], language: "en",
               suffixes: ["KK"], names: ["Sakura", "Fuji", "Kaede", "Hikari"],
               people: ["Yuki Tanaka", "Haruto Sato"], scale: 150),
    ]
    private static let trades = ["Maschinenbau", "Logistics", "Foods", "Retail", "Engineering", "Textiles", "Software",
                                 "Packaging", "Builders", "Optics", "Hydraulics", "Print"]

    /// `count` customers whose open invoices fall due around `start`, the demo's first day.
    public static func generate(customers count: Int, start: CalendarDate, seed: UInt64 = 20_260_302) -> DemoBook {
        var random = SplitMix(seed: seed)
        var customers: [DemoCustomer] = []
        var customerRows = ["external_ref,name,currency,timezone,language,account_owner_email"]
        var contactRows = ["customer_ref,name,email,role,is_primary"]
        var invoiceRows = ["customer_ref,number,issued_on,due_on,amount,currency"]
        var paymentRows = ["customer_ref,invoice_number,amount,currency,received_on,reference"]
        var invoiceNumber = 10_000

        for index in 0..<count {
            let region = regions[index % regions.count]
            let persona = index == 7 ? .keyAccount : Self.persona(index, &random)
            let reference = "C-\(1001 + index)"
            let name = "\(region.names[random.below(region.names.count)]) \(trades[random.below(trades.count)]) "
                + region.suffixes[random.below(region.suffixes.count)]
            let domain = Self.domain(name, index: index)
            let person = region.people[random.below(region.people.count)]
            let zone = region.zones[random.below(region.zones.count)]
            let contactEmail = persona == .deadContact ? "accounts@\(domain)" : Self.mailbox(person, domain)
            let otherEmail: String? = switch persona {
            case .deadContact: "finance@\(domain)"
            case .colleague: "ap.team@\(domain)"
            default: nil
            }
            let owner = persona == .keyAccount || index % 3 == 0 ? ownerEmail : nil
            customerRows.append(csv([reference, name, region.currency, zone, region.language, owner ?? ""]))
            contactRows.append(csv([reference, person, contactEmail, "accounts_payable", "true"]))
            if persona == .deadContact, let otherEmail {
                contactRows.append(csv([reference, "Finance team", otherEmail, "finance", "false"]))
            }

            let size = (persona == .keyAccount ? 12.0 : 0.4 + Double(random.below(4)) * 0.3) * region.scale
            func amount() -> Int64 {
                let major = (200 + Double(random.below(2800))) * size
                return Int64((major * pow(10, Double(region.exponent))).rounded())
            }
            // A year of paid history: punctual payers on time, the others late, some very late.
            let lateness: ClosedRange<Int> = switch persona {
            case .punctual, .promiseKeeper, .colleague: -3...1
            case .slow, .away, .asker: 5...25
            case .keyAccount: 10...35
            case .promiseBreaker, .silent, .disputer, .deadContact: 15...60
            }
            for month in stride(from: 12, to: 0, by: -1 - random.below(3)) {
                invoiceNumber += 1
                let number = "INV-\(invoiceNumber)"
                let issued = start.adding(months: -month)
                let due = issued.adding(days: 30)
                let value = amount()
                let paid = due.adding(days: lateness.lowerBound + random.below(lateness.count))
                invoiceRows.append(csv([reference, number, "\(issued)", "\(due)", decimal(value, region.exponent), region.currency]))
                paymentRows.append(csv([reference, number, decimal(value, region.exponent), region.currency, "\(min(paid, start.adding(days: -1)))",
                                        "PAY-\(invoiceNumber)"]))
            }
            // Open invoices, from long overdue to due in the coming weeks.
            var open: [(String, Int64)] = []
            let openCount = persona == .keyAccount ? 9 : 2 + random.below(6)
            for _ in 0..<openCount {
                invoiceNumber += 1
                let number = "INV-\(invoiceNumber)"
                let due = start.adding(days: -45 + random.below(70))
                let value = amount()
                invoiceRows.append(csv([reference, number, "\(due.adding(days: -30))", "\(due)", decimal(value, region.exponent),
                                        region.currency]))
                open.append((number, value))
            }
            customers.append(DemoCustomer(
                reference: reference, name: name, currency: region.currency, timeZone: zone, language: region.language,
                persona: persona, contactName: person, contactEmail: contactEmail, otherEmail: otherEmail, ownerEmail: owner,
                openInvoices: open))
        }
        return DemoBook(
            customers: customers, customersCSV: customerRows.joined(separator: "\n") + "\n",
            contactsCSV: contactRows.joined(separator: "\n") + "\n", invoicesCSV: invoiceRows.joined(separator: "\n") + "\n",
            paymentsCSV: paymentRows.joined(separator: "\n") + "\n", invoiceCount: invoiceRows.count - 1)
    }

    /// Mostly good payers, with every kind of trouble represented.
    private static func persona(_ index: Int, _ random: inout SplitMix) -> Persona {
        let shares: [(Persona, Int)] = [
            (.punctual, 30), (.slow, 15), (.promiseKeeper, 11), (.promiseBreaker, 8), (.disputer, 6), (.away, 6),
            (.colleague, 5), (.deadContact, 4), (.asker, 4), (.silent, 11),
        ]
        var pick = random.below(shares.reduce(0) { $0 + $1.1 })
        for (persona, share) in shares {
            if pick < share { return persona }
            pick -= share
        }
        return .silent
    }

    private static func domain(_ name: String, index: Int) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        let words = folded.split(whereSeparator: { !$0.isLetter }).prefix(2).joined(separator: "-")
        return "\(words)-\(index).example"
    }

    private static func mailbox(_ person: String, _ domain: String) -> String {
        let folded = person.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        return folded.split(separator: " ").joined(separator: ".") + "@" + domain
    }

    /// `123456` with exponent 2 → `1234.56`; exponent 0 → `123456`.
    static func decimal(_ minor: Int64, _ exponent: Int) -> String {
        guard exponent > 0 else { return String(minor) }
        let unit = Int64(pow(10, Double(exponent)))
        let fraction = String(minor % unit)
        return "\(minor / unit).\(String(repeating: "0", count: exponent - fraction.count))\(fraction)"
    }

    private static func csv(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(",") || field.contains("\"") ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}

/// SplitMix64: reproducible and good enough for made-up books.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(max(bound, 1)))
    }
}
