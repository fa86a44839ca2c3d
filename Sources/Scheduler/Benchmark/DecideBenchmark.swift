import Dunning
import Foundation

/// The pure decision alone, with no database: `decide` over synthetic customers (5 open invoices
/// each, most overdue, so several actions and reasons per customer; a year of paid invoices, some
/// promises, disputes, bounced contacts, key accounts, consumers, eight time zones), timed in CPU
/// seconds of the calling thread since the machine is shared.
public enum DecideBenchmark {
    public struct Result: Sendable {
        public let customers: Int
        public let cpuSeconds: Double
        public var decisionsPerSecond: Double { Double(customers) / cpuSeconds }
        public var microsecondsEach: Double { cpuSeconds / Double(customers) * 1e6 }
    }

    /// Best of `rounds` passes over `customers` snapshots.
    public static func run(customers: Int, rounds: Int = 3) -> Result {
        let snapshots = (0..<customers).map(snapshot)
        var best = Double.infinity
        var actions = 0
        for _ in 0..<rounds {
            let start = threadCPUSeconds()
            for customer in snapshots {
                actions &+= decide(customer, policy: .standard, now: now).actions.count
            }
            best = min(best, threadCPUSeconds() - start)
        }
        // Keeps the loop from being optimised away.
        precondition(actions >= 0)
        return Result(customers: customers, cpuSeconds: best)
    }

    private static let zones = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
                                "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo"].map { TimeZone(identifier: $0)! }
    private static let currencies: [CurrencyCode] = ["EUR", "EUR", "EUR", "USD", "GBP", "JPY"]
    private static let today = CalendarDate(year: 2025, month: 3, day: 12)!
    private static let now = today.instant(at: TimeOfDay(hour: 10, minute: 0)!, in: zones[0])

    private static func snapshot(_ index: Int) -> CustomerSnapshot {
        var generator = SeededGenerator(state: UInt64(index))
        let currency = currencies[index % currencies.count]
        let invoices = (0..<5).map { number in
            OpenInvoice(
                number: "INV-\(index)-\(number)",
                issuedOn: today.adding(days: -Int.random(in: 30...150, using: &generator)),
                dueOn: today.adding(days: Int.random(in: -120...20, using: &generator)),
                openAmount: Money(minorUnits: Int64.random(in: 1_000...900_000, using: &generator), currency: currency),
                isDisputed: index % 17 == 0 && number == 0)
        }
        let paid = (0..<6).map { number in
            let due = today.adding(days: -30 * (number + 1))
            return PaidInvoice(number: "P-\(index)-\(number)", dueOn: due,
                               paidOn: due.adding(days: Int.random(in: -5...25, using: &generator)))
        }
        let promises = index % 11 == 0
            ? [PromiseToPay(promisedOn: today.adding(days: Int.random(in: -6...10, using: &generator)))] : []
        let lastOutreach = index % 3 == 0 ? nil : PastOutreach(
            sentAt: now.addingTimeInterval(-86_400 * Double(Int.random(in: 1...20, using: &generator))), stage: "firm")
        return CustomerSnapshot(
            profile: CustomerProfile(reference: "C-\(index)", timeZone: zones[index % zones.count],
                                     isKeyAccount: index % 13 == 0, isConsumer: index % 29 == 0,
                                     escalationLevel: index % 5 == 0 ? 1 : 0),
            openInvoices: invoices, paidInvoices: paid, promises: promises,
            contacts: [Contact(address: "ap\(index)@customer\(index % 1000).example", status: index % 23 == 0 ? .bounced : .valid)],
            activity: RecentActivity(lastOutreach: lastOutreach, remindersWithoutReply: index % 4))
    }

    /// CPU time of this thread: the machine is shared, so wall time alone says little.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// SplitMix64, seeded per customer, so every run measures the same book.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
