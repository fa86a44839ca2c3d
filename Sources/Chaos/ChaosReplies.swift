import Demo
import Dunning
import Foundation
import Mail
import Synchronization

/// The customers of a chaos run answering their first reminder — a promise to pay, an absence, a
/// question — through the inbound webhook of whichever coordinator is up. A reply a coordinator did
/// not accept (it was killed, the database was restarting) is sent again until one does; each
/// accepted one is remembered, for the check that every message and promise was recorded.
public final class ChaosReplies: Sendable {
    public struct Accepted: Sendable {
        public let tenantSlug: String
        public let messageID: String
        public let answer: ChaosWorld.Answer
    }

    private struct Pending: Sendable {
        let customer: ChaosWorld.Customer
        let body: [String: String]
        let messageID: String
    }

    private let world: ChaosWorld
    private let sink: MailSink
    private let coordinators: [String]
    private let keys: [String: String]
    private let stopped = Atomic(false)
    private let state = Mutex<(accepted: [Accepted], answered: Set<String>, refused: Int)>(([], [], 0))

    public init(world: ChaosWorld, sink: MailSink, coordinators: [String]) {
        self.world = world
        self.sink = sink
        self.coordinators = coordinators
        keys = Dictionary(uniqueKeysWithValues: world.tenants.map { ($0.slug, $0.key) })
    }

    public var accepted: [Accepted] { state.withLock { $0.accepted } }
    /// Attempts a coordinator turned away (to be tried again).
    public var refusals: Int { state.withLock { $0.refused } }

    public func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Answers reminders as they reach the sink until stopped and every answer was accepted.
    public func run() async {
        var seen = 0
        var pending: [Pending] = []
        var attempt = 0
        while !stopped.load(ordering: .acquiring) || !pending.isEmpty {
            for received in sink.messages(after: seen) {
                seen = received.sequence
                guard let parsed = try? ParsedMessage(parsing: received.data), let id = parsed.messageID else { continue }
                for recipient in received.recipients {
                    guard let customer = world.customers[recipient.lowercased()], customer.answer != .silence,
                          state.withLock({ $0.answered.insert(recipient.lowercased()).inserted })
                    else { continue }
                    let messageID = "<\(UUID().uuidString.lowercased())@\(recipient.split(separator: "@").last ?? "customer.example")>"
                    pending.append(Pending(customer: customer, body: [
                        "from": recipient, "subject": "Re: " + (parsed.subject ?? ""), "text": Self.text(customer.answer),
                        "message_id": messageID, "in_reply_to": "<\(id)>",
                    ], messageID: messageID))
                }
            }
            var retry: [Pending] = []
            for reply in pending {
                attempt += 1
                let url = coordinators[attempt % coordinators.count]
                let client = CoordinatorClient(baseURL: url, key: keys[reply.customer.tenantSlug] ?? "",
                                               tenantSlug: reply.customer.tenantSlug)
                do {
                    try await client.postReply(reply.body)
                    state.withLock {
                        $0.accepted.append(Accepted(tenantSlug: reply.customer.tenantSlug, messageID: reply.messageID,
                                                    answer: reply.customer.answer))
                    }
                } catch {
                    state.withLock { $0.refused += 1 }
                    retry.append(reply)
                }
            }
            pending = retry
            try? await Task.sleep(for: .milliseconds(pending.isEmpty ? 200 : 500))
        }
    }

    private static func text(_ answer: ChaosWorld.Answer) -> String {
        switch answer {
        case .promise: "Hello,\n\nwe will pay the open invoices next Friday.\n\nRegards,\nPat\n"
        case .absence: "I am out of the office until next Monday with no access to email.\n"
        case .question: "Hello,\n\ncould you send me a copy of the invoice? I cannot find it.\n\nThanks,\nPat\n"
        case .silence: ""
        }
    }
}
