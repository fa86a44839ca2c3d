import Dunning
import Foundation
import Postgres
import Queue

/// Tasks an agent enqueues for another agent, keyed as the scheduler keys the same actions, so a
/// follow-up and a review asking for the same work make one task.
public enum FollowUpTasks {
    private struct Payload: Encodable {
        var customerID: Int64
        var reasons: [String]

        enum CodingKeys: String, CodingKey {
            case customerID = "customer_id"
            case reasons
        }
    }

    /// Look for a better address for the customer.
    public static func contactDiscovery(tenantID: Int64, customerID: Int64, reason: String) throws -> NewTask {
        try task(.contactDiscovery, tenantID: tenantID, customerID: customerID, reasons: [reason])
    }

    /// Tell the account owner, with `reasons`.
    public static func ownerNotice(tenantID: Int64, customerID: Int64, reasons: [String]) throws -> NewTask {
        try task(.notifyOwner, tenantID: tenantID, customerID: customerID, reasons: reasons)
    }

    private static func task(_ kind: ActionKind, tenantID: Int64, customerID: Int64, reasons: [String]) throws -> NewTask {
        NewTask(tenantID: tenantID, customerID: customerID, kind: kind.rawValue,
                payload: try PostgresJSON(encoding: Payload(customerID: customerID, reasons: reasons)),
                dedupeKey: kind.dedupeKey(customerID: customerID))
    }
}
