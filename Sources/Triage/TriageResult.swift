import Dunning

/// What an inbound reply to a reminder is.
public enum ReplyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case promiseToPay = "promise_to_pay"
    case dispute
    case alreadyPaid = "already_paid"
    case outOfOffice = "out_of_office"
    case bounce
    case contactChange = "contact_change"
    case unsubscribe
    case question
    case other
}

/// Hard: the address does not work (5.x.x). Soft: it may work later (4.x.x).
public enum BounceType: String, Sendable, Hashable, Codable {
    case hard
    case soft
}

/// A person or address the reply points to instead of (or while away from) the current contact.
public struct NewContact: Sendable, Hashable, Codable {
    public var name: String?
    public var email: String?

    public init(name: String? = nil, email: String? = nil) {
        self.name = name
        self.email = email
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
    }
}

/// The classification of one reply, with the details found and the reasons in plain words.
///
/// JSON (as printed by `arrears triage`) always carries every key, with null when absent:
/// `{"kind", "promised_on", "amount_cents", "currency", "return_on", "new_contact": {"name",
/// "email"}, "bounce", "invoices", "confidence", "reasons"}`.
public struct TriageResult: Sendable, Hashable, Codable {
    public var kind: ReplyKind
    /// For a promise to pay: the day payment was promised for.
    public var promisedOn: CalendarDate?
    /// For a promise to pay: the amount promised, in minor units of `currency` (JSON `amount_cents`).
    public var amountMinorUnits: Int64?
    /// The currency of `amountMinorUnits`.
    public var currency: CurrencyCode?
    /// For an out-of-office reply: the day the person is back.
    public var returnOn: CalendarDate?
    /// For a contact change (or an out-of-office naming a stand-in): who to write to.
    public var newContact: NewContact?
    public var bounce: BounceType?
    /// Invoice numbers the reply mentions.
    public var invoices: [String]
    /// 0…1.
    public var confidence: Double
    public var reasons: [String]

    public init(
        kind: ReplyKind, promisedOn: CalendarDate? = nil, amountMinorUnits: Int64? = nil, currency: CurrencyCode? = nil,
        returnOn: CalendarDate? = nil, newContact: NewContact? = nil, bounce: BounceType? = nil,
        invoices: [String] = [], confidence: Double, reasons: [String] = []
    ) {
        self.kind = kind
        self.promisedOn = promisedOn
        self.amountMinorUnits = amountMinorUnits
        self.currency = currency
        self.returnOn = returnOn
        self.newContact = newContact
        self.bounce = bounce
        self.invoices = invoices
        self.confidence = confidence
        self.reasons = reasons
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case promisedOn = "promised_on"
        case amountMinorUnits = "amount_cents"
        case currency
        case returnOn = "return_on"
        case newContact = "new_contact"
        case bounce
        case invoices
        case confidence
        case reasons
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `encode` (not `encodeIfPresent`) writes null, so every key is always present.
        try container.encode(kind, forKey: .kind)
        try container.encode(promisedOn, forKey: .promisedOn)
        try container.encode(amountMinorUnits, forKey: .amountMinorUnits)
        try container.encode(currency, forKey: .currency)
        try container.encode(returnOn, forKey: .returnOn)
        try container.encode(newContact, forKey: .newContact)
        try container.encode(bounce, forKey: .bounce)
        try container.encode(invoices, forKey: .invoices)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(reasons, forKey: .reasons)
    }
}
