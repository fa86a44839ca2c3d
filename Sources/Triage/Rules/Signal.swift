/// What a phrase in a reply indicates. Several signals usually fire; `Decision` weighs them.
enum Signal: Sendable, Hashable {
    /// A commitment to pay in the future: "we will pay", "wird überwiesen", "sera réglée".
    case promise
    /// A payment stated without tense ("Zahlung erfolgt am 20.03.", "payment is scheduled for"):
    /// its date decides between a promise and a payment made.
    case paymentAction
    /// Money expected to arrive: "should reach you by Friday".
    case arrival
    /// Payment already made: "already paid", "wurde überwiesen", "avons réglé".
    case paid
    /// A document proving payment: "remittance advice", "Zahlungsavis", "avis de virement".
    case paidEvidence
    /// A clear dispute: "credit note", "damaged", "nicht bestellt", "contestons".
    case dispute
    /// Something may be wrong: "error", "problem with the invoice", "on hold".
    case disputeWeak
    /// A refusal to pay: "we will not pay".
    case refusal
    /// Cannot pay (cash flow): not a dispute, not a promise.
    case hardship
    /// Away from the office: "out of office", "im Urlaub", "en congés".
    case absence
    /// An automatic reply says so itself: "automatic reply", "automatische Antwort".
    case autoReply
    /// The person has left or is no longer responsible: "no longer with", "nicht mehr zuständig".
    case leftCompany
    /// A successor or a new address: "my successor", "neue Ansprechpartnerin", "nouveau contact".
    case contactChanged
    /// Points to someone else: "please contact my colleague", "wenden Sie sich an".
    case redirect
    /// Changes where mail should go from now on: "going forward", "ab sofort", "désormais",
    /// "please send invoices to".
    case routing
    /// Opt out explicitly: "unsubscribe", "abmelden", "désabonner", "remove me from your list".
    case unsubscribe
    /// Asks to stop mail, less formally: "stop emailing", "keine weiteren E-Mails".
    case unsubscribeWeak
    /// Asks something or requests a document: "could you send", "können Sie", "pourriez-vous".
    case question
    /// Delivery failed.
    case bounce
    /// The failure is permanent: "user unknown", "existiert nicht".
    case bounceHard
    /// The failure is temporary: "mailbox full", "vorübergehend".
    case bounceSoft
}

/// A phrase and what it signals, with the label used in the result's reasons.
struct Cue: Sendable {
    let signal: Signal
    let label: String
    /// Ignore the phrase when a negation precedes or follows it ("not yet paid", "zahlen nicht").
    let checksNegation: Bool
    /// Ignore it when it is in the future or conditional ("will be paid" is no payment made).
    let rejectsFuture: Bool
    /// Ignore it when it is in the past ("I was on holiday").
    let rejectsPast: Bool

    init(_ signal: Signal, _ label: String, negation: Bool = true, future: Bool = false, past: Bool = false) {
        self.signal = signal
        self.label = label
        checksNegation = negation
        rejectsFuture = future
        rejectsPast = past
    }
}
