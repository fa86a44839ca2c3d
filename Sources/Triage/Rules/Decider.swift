import Dunning

/// Weighs the evidence of one reply and produces its classification.
struct Decider {
    /// The rule text with amounts, dates and codes collapsed into single tokens.
    let body: TokenizedText
    let subject: TokenizedText
    let today: CalendarDate
    let isAutomatic: Bool
    let contacts: ContactFinder
    let hits: [CueHit]
    let subjectHits: [CueHit]
    /// Indices refer to `body`.
    let dates: [DateMention]
    let amounts: [AmountMention]
    let invoices: [String]
    let reference: String?
    let hasQuestionMark: Bool

    init(body text: TokenizedText, subject: TokenizedText, today: CalendarDate, context: TriageContext, isAutomatic: Bool, contacts: ContactFinder) {
        self.subject = subject
        self.today = today
        self.isAutomatic = isAutomatic
        self.contacts = contacts
        let raw = text.tokens
        let language = Language.guess(raw)
        let foundAmounts = AmountFinder(defaultCurrency: context.defaultCurrency).find(in: raw)
        let amountRanges = foundAmounts.map { $0.start..<$0.end }
        let foundDates = DateFinder(order: context.numericDateOrder, isFrench: language == .french).find(in: raw, skipping: amountRanges)
        let dateRanges = foundDates.map { $0.start..<$0.end }
        let invoiceFinder = InvoiceFinder(knownInvoices: context.openInvoiceNumbers)
        let bodyInvoices = invoiceFinder.find(in: text, skipping: amountRanges + dateRanges)
        invoices = bodyInvoices.isEmpty ? invoiceFinder.find(in: subject) : bodyInvoices
        reference = ReferenceFinder.find(in: text)

        let codes = InvoiceFinder.listRanges(InvoiceFinder.codeRanges(in: raw, skipping: amountRanges + dateRanges), in: raw)
        let spans = amountRanges.map { ($0, Token.Kind.amount) } + dateRanges.map { ($0, Token.Kind.date) } + codes.map { ($0, Token.Kind.code) }
        let (collapsed, positions) = text.collapsing(spans.map { (range: $0.0, kind: $0.1) })
        body = collapsed
        amounts = foundAmounts.enumerated().map { index, amount in
            AmountMention(start: positions[index], end: positions[index] + 1, minorUnits: amount.minorUnits, currency: amount.currency, sentence: amount.sentence)
        }
        dates = foundDates.enumerated().map { index, date in
            let position = positions[foundAmounts.count + index]
            return DateMention(start: position, end: position + 1, expression: date.expression, sentence: date.sentence)
        }
        let tokens = collapsed.tokens
        var found = CueMatcher.hits(CueBook.body, in: tokens)
        // A specific phrase beats a general one inside it: "allocated to the wrong invoice" says
        // the payment was made; it is no complaint about the invoice.
        let paidSpans = found.filter { $0.signal == .paid }.map { $0.start..<$0.end }
        found.removeAll { hit in
            (hit.signal == .dispute || hit.signal == .disputeWeak) && paidSpans.contains { $0.overlaps(hit.start..<hit.end) }
        }
        hits = found
        subjectHits = CueMatcher.hits(CueBook.body, in: subject.tokens).filter {
            $0.signal == .absence || $0.signal == .autoReply || $0.signal == .unsubscribe
        }
        hasQuestionMark = tokens.contains { $0.isSymbol("?") }
    }

    private func hits(_ signal: Signal) -> [CueHit] { hits.filter { $0.signal == signal } }
    private func has(_ signal: Signal) -> Bool { hits.contains { $0.signal == signal } }

    func decide() -> TriageResult {
        let subjectSaysAway = subjectHits.contains { $0.signal == .absence }
        let automatic = isAutomatic || subjectSaysAway || has(.autoReply)
        let paymentTalk = has(.promise) || has(.paid) || has(.paidEvidence) || has(.dispute) || has(.refusal) || has(.paymentAction)

        if isOnlyStop { return result(.unsubscribe, confidence: 0.95, reasons: ["the reply only says stop"]) }
        if has(.leftCompany) { return contactChange() }
        if automatic {
            if has(.absence) || subjectSaysAway { return outOfOffice(automatic: true) }
            if has(.contactChanged) || has(.routing) { return contactChange() }
            // Acknowledgements and ticket receipts: no one has read the reminder yet.
            return result(.other, confidence: 0.7, reasons: ["automatic reply without an absence notice"])
        }
        if has(.absence), !paymentTalk, !has(.question) { return outOfOffice(automatic: false) }
        if has(.contactChanged), !paymentTalk { return contactChange() }
        if has(.unsubscribe) || subjectHits.contains(where: { $0.signal == .unsubscribe }) {
            return result(.unsubscribe, confidence: 0.9, reasons: quoted(hits(.unsubscribe)) + subjectReasons(.unsubscribe))
        }
        if has(.routing), !paymentTalk, let contact = contactNear(hits(.routing) + hits(.redirect)), contact.email != nil {
            return contactChange(contact: contact)
        }
        if let dispute = disputeResult() { return dispute }
        if let payment = paymentResult() { return payment }
        if has(.unsubscribeWeak) { return result(.unsubscribe, confidence: 0.7, reasons: quoted(hits(.unsubscribeWeak))) }
        if has(.disputeWeak) { return result(.dispute, confidence: 0.6, reasons: quoted(hits(.disputeWeak))) }
        if has(.question) || hasQuestionMark {
            let reasons = quoted(hits(.question)) + (hasQuestionMark ? ["contains a question mark"] : [])
            return result(.question, confidence: has(.question) && hasQuestionMark ? 0.8 : 0.65, reasons: reasons)
        }
        if has(.redirect), let contact = contactNear(hits(.redirect)) { return contactChange(contact: contact) }
        if has(.hardship) { return result(.other, confidence: 0.55, reasons: quoted(hits(.hardship))) }
        if has(.absence) { return outOfOffice(automatic: false) }
        return result(.other, confidence: 0.5, reasons: ["no rule matched"])
    }

    // MARK: Kinds

    /// Reg F counts a bare "stop" as an opt-out.
    private var isOnlyStop: Bool {
        let words = body.tokens.filter(\.isWord).map(\.text)
        return !words.isEmpty && words.count <= 2 && words.allSatisfy { ["stop", "stopp", "arret", "please", "bitte", "unsubscribe"].contains($0) }
            && words.contains { $0 != "please" && $0 != "bitte" }
    }

    private func contactChange(contact given: NewContact? = nil) -> TriageResult {
        let cues = hits(.redirect) + hits(.routing) + hits(.contactChanged) + hits(.leftCompany)
        let contact = given ?? contactNear(cues) ?? contacts.anyContact(in: body)
        var reasons = quoted(hits(.leftCompany) + hits(.contactChanged) + hits(.routing) + hits(.redirect))
        if let contact { reasons.append("new contact: " + describe(contact)) }
        let confidence = contact?.email != nil ? 0.9 : (has(.leftCompany) ? 0.75 : 0.65)
        return result(.contactChange, newContact: contact, confidence: confidence, reasons: reasons)
    }

    private func outOfOffice(automatic: Bool) -> TriageResult {
        var reasons = automatic ? ["automatic reply"] : []
        reasons += quoted(hits(.absence)) + subjectReasons(.absence)
        let returnOn = returnDate()
        if let returnOn { reasons.append("back on \(returnOn.date) (“\(returnOn.text)”)") }
        let deputy = contactNear(hits(.redirect) + hits(.contactChanged))
        if let deputy { reasons.append("stand-in: " + describe(deputy)) }
        return result(.outOfOffice, returnOn: returnOn?.date, newContact: deputy, confidence: automatic ? 0.95 : 0.75, reasons: reasons)
    }

    private func disputeResult() -> TriageResult? {
        let disputes = hits(.dispute)
        if !disputes.isEmpty {
            let confidence = min(0.95, 0.8 + 0.05 * Double(disputes.count - 1)) - (has(.paid) || has(.promise) ? 0.1 : 0)
            return result(.dispute, confidence: confidence, reasons: quoted(disputes + hits(.refusal)))
        }
        let refusals = hits(.refusal)
        guard !refusals.isEmpty else { return nil }
        // "We won't pay before the 30th" defers payment; without such a date it is a refusal.
        if let deferral = dateAfter(refusals, within: ["until", "till", "before", "bis", "vor", "avant", "jusqu", "au", "ehe"]) {
            return promise(date: deferral, cues: refusals, reasons: quoted(refusals) + ["payment deferred to \(deferral.date) (“\(deferral.text)”)"])
        }
        return result(.dispute, confidence: 0.75, reasons: quoted(refusals))
    }

    private func paymentResult() -> TriageResult? {
        let promises = hits(.promise)
        var paidHits = hits(.paid) + hits(.paidEvidence)
        var futureActions: [CueHit] = []
        var undatedActions: [CueHit] = []
        // "Die Zahlung ist am Freitag erfolgt": a payment action in a sentence that says it is done.
        let paidSentences = Set(paidHits.map(\.sentence))
        for action in hits(.paymentAction) where !paidSentences.contains(action.sentence) {
            if let (_, span) = nearestDate([action], preferring: .future, requireFuture: false) {
                if span.end >= today { futureActions.append(action) } else { paidHits.append(action) }
            } else {
                undatedActions.append(action)
            }
        }
        let arrivals = paidHits.isEmpty ? hits(.arrival) : []
        var promiseCues = promises + futureActions + arrivals
        if promiseCues.isEmpty, paidHits.isEmpty { promiseCues = futurePaymentSentences() }
        let dated = datedPromise(promiseCues)
        if !promiseCues.isEmpty, dated != nil || paidHits.isEmpty {
            return promise(date: dated, cues: promiseCues, reasons: quoted(promiseCues))
        }
        if !paidHits.isEmpty {
            var reasons = quoted(paidHits)
            if let reference { reasons.append("remittance reference \(reference)") }
            return result(.alreadyPaid, confidence: paidHits.count > 1 ? 0.9 : 0.8, reasons: reasons)
        }
        if !undatedActions.isEmpty {
            return promise(date: nil, cues: undatedActions, reasons: quoted(undatedActions))
        }
        return nil
    }

    private static let futureWords: Set<String> = [
        "will", "shall", "ll", "going", "werden", "wird", "werde", "sera", "seront", "allons", "vais", "va", "vont",
        "partira", "interviendra", "suivra",
    ]
    private static let paymentWords: Set<String> = [
        "payment", "payments", "pay", "transfer", "remittance", "funds", "money", "zahlung", "uberweisung", "bezahlung",
        "betrag", "paiement", "virement", "reglement", "versement", "payer", "regler",
    ]
    private static let futurePayment = Cue(.promise, "speaks of a payment on a future date")

    /// Sentences that put a payment word, a future verb and a future date together ("The transfer
    /// for both invoices … will go out on Friday 27 March"), when no phrase matched.
    private func futurePaymentSentences() -> [CueHit] {
        let tokens = body.tokens
        var found: [CueHit] = []
        for mention in dates {
            guard let span = mention.expression.resolve(relativeTo: today, preferring: .future), span.end >= today,
                  !found.contains(where: { $0.sentence == mention.sentence }) else { continue }
            let sentence = tokens.indices.filter { tokens[$0].sentence == mention.sentence }
            let words = sentence.map { tokens[$0].text }
            guard words.contains(where: Self.futureWords.contains), words.contains(where: Self.paymentWords.contains),
                  !words.contains(where: Lexicon.gapBlockers.contains), let first = sentence.first, let last = sentence.last else { continue }
            found.append(CueHit(cue: Self.futurePayment, start: first, end: last + 1, sentence: mention.sentence))
        }
        return found
    }

    private func promise(date: (date: CalendarDate, text: String)?, cues: [CueHit], reasons: [String]) -> TriageResult {
        var reasons = reasons
        if let date, !reasons.contains(where: { $0.hasPrefix("payment deferred") }) {
            reasons.append("promised for \(date.date) (“\(date.text)”)")
        }
        let amount = promisedAmount(cues)
        if let amount {
            reasons.append("amount \(amount.minorUnits) minor units of \(amount.currency) (“\(body.original(amount.start, amount.end - 1))”)")
        }
        var confidence = date == nil ? 0.65 : 0.9
        if has(.question) || hasQuestionMark { confidence -= 0.05 }
        if has(.paid) { confidence -= 0.1 }
        return result(.promiseToPay, promisedOn: date?.date, amount: amount, confidence: confidence, reasons: reasons)
    }

    // MARK: Details

    private func promisedAmount(_ cues: [CueHit]) -> AmountMention? {
        let sentences = Set(cues.map(\.sentence))
        if let inSentence = amounts.first(where: { sentences.contains($0.sentence) }) { return inSentence }
        return amounts.count == 1 ? amounts[0] : nil
    }

    private func contactNear(_ cues: [CueHit]) -> NewContact? {
        for cue in cues.sorted(by: { $0.start < $1.start }) {
            if let contact = contacts.contact(in: body, after: cue.start) { return contact }
        }
        return nil
    }

    private func describe(_ contact: NewContact) -> String {
        switch (contact.name, contact.email) {
        case let (name?, email?): "\(name) <\(email)>"
        case let (name?, nil): name
        case let (nil, email?): email
        case (nil, nil): "unknown"
        }
    }

    private func subjectReasons(_ signal: Signal) -> [String] {
        subjectHits.filter { $0.signal == signal }.prefix(1).map { hit in
            "subject \(hit.cue.label): “\(subject.original(hit.start, hit.end - 1))”"
        }
    }

    /// Each cue's label with the words that triggered it, once per label.
    private func quoted(_ cues: [CueHit]) -> [String] {
        var reasons: [String] = []
        var seenLabels: Set<String> = []
        for cue in cues.sorted(by: { $0.start < $1.start }) where !seenLabels.contains(cue.cue.label) {
            seenLabels.insert(cue.cue.label)
            reasons.append("\(cue.cue.label): “\(body.original(cue.start, cue.end - 1))”")
        }
        return reasons
    }

    private func result(
        _ kind: ReplyKind, promisedOn: CalendarDate? = nil, amount: AmountMention? = nil, returnOn: CalendarDate? = nil,
        newContact: NewContact? = nil, confidence: Double, reasons: [String]
    ) -> TriageResult {
        var reasons = reasons
        if !invoices.isEmpty { reasons.append("invoices mentioned: " + invoices.joined(separator: ", ")) }
        return TriageResult(
            kind: kind, promisedOn: promisedOn, amountMinorUnits: amount?.minorUnits, currency: amount?.currency,
            returnOn: returnOn, newContact: newContact, invoices: invoices,
            confidence: (min(max(confidence, 0), 1) * 100).rounded() / 100, reasons: reasons
        )
    }
}
