import AgentKit
import Dunning
import Foundation
import Mail
import Store
import Triage

/// An address that may reach the customer better than the current one, and why it was chosen.
struct ContactCandidate: Equatable {
    var email: String
    var name: String?
    var role: String
    var why: String
}

/// Where better contacts are looked for, most trustworthy first: someone the customer named in a
/// reply ("please write to my colleague"), a stand-in named in an auto-reply, the customer's other
/// contacts by role, the tenant's CRM, people who wrote to us from the customer, and addresses in
/// their signatures. Pure: the agent loads what these read.
enum ContactCandidates {
    struct Reading {
        var message: Message
        var result: TriageResult?
    }

    static func ranked(_ dossier: CustomerDossier, readings: [Reading], crm: [CRMLookup.Answer.Person],
                       excluded: Set<String>, blockedDomains: Set<String>, today: CalendarDate) -> [ContactCandidate] {
        let current = dossier.contacts.first { $0.isPrimary }?.email.lowercased()
        let unusable = Set(dossier.contacts.filter { ["bounced", "opted_out", "rejected"].contains($0.status) }.map { $0.email.lowercased() })
        let customerDomains = Set(dossier.contacts.compactMap { domain(of: $0.email) })
        let role = dossier.contacts.first { $0.isPrimary }?.role ?? "billing"
        var candidates: [ContactCandidate] = []

        for reading in readings {
            guard let result = reading.result, let email = result.newContact?.email else { continue }
            let when = dossier.today(at: reading.message.receivedAt ?? reading.message.createdAt)
            switch result.kind {
            case .contactChange:
                candidates.append(ContactCandidate(email: email, name: result.newContact?.name, role: role,
                                                   why: "\(reading.message.fromAddress) named them on \(when) as the person to write to"))
            case .outOfOffice:
                candidates.append(ContactCandidate(email: email, name: result.newContact?.name, role: role,
                                                   why: "the auto-reply of \(reading.message.fromAddress) on \(when) named them as stand-in"))
            default:
                continue
            }
        }
        let others = dossier.reachableContacts.filter { !$0.isPrimary }.sorted { lhs, rhs in
            (rank(lhs.role), lhs.id) < (rank(rhs.role), rhs.id)
        }
        candidates += others.map {
            ContactCandidate(email: $0.email, name: $0.name, role: $0.role, why: "already a contact of the customer (\($0.role))")
        }
        candidates += crm.map {
            ContactCandidate(email: $0.email, name: $0.name, role: $0.role.flatMap(validRole) ?? role, why: "the tenant's CRM lists them")
        }
        let replies = readings.filter { ![.bounce, .outOfOffice].contains($0.result?.kind) }
        for reading in replies {
            let when = dossier.today(at: reading.message.receivedAt ?? reading.message.createdAt)
            candidates.append(ContactCandidate(email: reading.message.fromAddress, name: nil, role: role,
                                               why: "wrote to us from the customer on \(when)"))
        }
        for reading in replies {
            let mentioned = TextMentions(in: reading.message.bodyText, today: today).emailAddresses
            for email in mentioned where domain(of: email).map(customerDomains.contains) ?? false {
                candidates.append(ContactCandidate(email: email, name: nil, role: role,
                                                   why: "named in the message \(reading.message.fromAddress) sent"))
            }
        }

        var seen: Set<String> = []
        return candidates.filter { candidate in
            let email = candidate.email.lowercased()
            guard MailAddress(parsing: candidate.email) != nil, email != current, !unusable.contains(email),
                  !excluded.contains(email), !isMachine(email), !blockedDomains.contains(domain(of: email) ?? "")
            else { return false }
            return seen.insert(email).inserted
        }
    }

    static func domain(of email: String) -> String? {
        email.split(separator: "@").last.map { $0.lowercased() }
    }

    /// Addresses that never belong to a person.
    static func isMachine(_ address: String) -> Bool {
        let local = address.split(separator: "@").first.map { $0.lowercased() } ?? ""
        return ["mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply"].contains(local)
    }

    private static func rank(_ role: String) -> Int {
        ["accounts_payable", "billing", "finance", "accounting"].firstIndex(of: role) ?? 4
    }

    /// A CRM's role as a contact role (`Accounts Payable` → `accounts_payable`), if it makes one.
    private static func validRole(_ text: String) -> String? {
        let role = text.lowercased().split(whereSeparator: { !$0.isLetter }).joined(separator: "_")
        return (1...32).contains(role.count) && role.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) ? role : nil
    }
}
