import Foundation
import Store

/// Whether a promise to pay was kept, judged by the balances of what it covered: with an amount, by
/// how much the open total in its currency fell since the promise was made; without one, by whether
/// every covered invoice is settled. Pure.
enum PromiseVerdict: Equatable {
    case kept(paid: Int64?)
    case broken(paid: Int64?, missing: [String])

    static func judge(_ promise: Promise, covered invoices: [Invoice]) -> PromiseVerdict {
        let settledStatuses: Set<String> = ["paid", "void", "written_off"]
        let open = invoices.filter { $0.openAmount > 0 && !settledStatuses.contains($0.status) }
        if let amount = promise.amount, let currency = promise.currency, let before = promise.coveredOpenAmount {
            let now = open.filter { $0.currency == currency }.reduce(Int64(0)) { $0 + $1.openAmount }
            let paid = max(0, before - now)
            return paid >= min(amount, before) ? .kept(paid: paid) : .broken(paid: paid, missing: open.map(\.number))
        }
        return open.isEmpty ? .kept(paid: nil) : .broken(paid: nil, missing: open.map(\.number))
    }
}
