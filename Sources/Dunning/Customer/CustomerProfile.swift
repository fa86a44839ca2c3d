import Foundation

/// What the decision needs to know about a customer itself.
public struct CustomerProfile: Hashable, Sendable {
    /// The customer's reference as the tenant knows it; printed as `"customer"` in decisions.
    public var reference: String
    /// Dates and send windows are evaluated here.
    public var timeZone: TimeZone
    public var isKeyAccount: Bool
    /// Consumers get the consumer-protection rules (contact hours, opt-out line) whatever the policy says.
    public var isConsumer: Bool
    public var doNotContact: Bool
    /// No outreach before this date.
    public var pausedUntil: CalendarDate?
    /// The level stored by the previous decision.
    public var escalationLevel: Int

    public init(
        reference: String,
        timeZone: TimeZone,
        isKeyAccount: Bool = false,
        isConsumer: Bool = false,
        doNotContact: Bool = false,
        pausedUntil: CalendarDate? = nil,
        escalationLevel: Int = 0
    ) {
        self.reference = reference
        self.timeZone = timeZone
        self.isKeyAccount = isKeyAccount
        self.isConsumer = isConsumer
        self.doNotContact = doNotContact
        self.pausedUntil = pausedUntil
        self.escalationLevel = escalationLevel
    }
}
