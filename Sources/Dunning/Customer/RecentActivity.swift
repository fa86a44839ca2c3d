import Foundation

/// The last reminder sent to a customer.
public struct PastOutreach: Hashable, Sendable {
    public var sentAt: Date
    /// The policy stage name it was sent at.
    public var stage: String

    public init(sentAt: Date, stage: String) {
        self.sentAt = sentAt
        self.stage = stage
    }
}

/// What was already done for a customer, so a decision does not repeat it.
public struct RecentActivity: Hashable, Sendable {
    public var lastOutreach: PastOutreach?
    /// Reminders sent since the customer last replied.
    public var remindersWithoutReply: Int
    public var lastContactDiscoveryAt: Date?
    public var lastOwnerNotificationAt: Date?

    public init(
        lastOutreach: PastOutreach? = nil,
        remindersWithoutReply: Int = 0,
        lastContactDiscoveryAt: Date? = nil,
        lastOwnerNotificationAt: Date? = nil
    ) {
        self.lastOutreach = lastOutreach
        self.remindersWithoutReply = remindersWithoutReply
        self.lastContactDiscoveryAt = lastContactDiscoveryAt
        self.lastOwnerNotificationAt = lastOwnerNotificationAt
    }
}
