import Foundation

extension Review {
    /// One reminder for the customer covering every invoice that is chased, at the stage of the oldest,
    /// if the contacts, the cadence and the customer's local clock allow it.
    mutating func decideOutreach() {
        guard let firstStage = policy.stages.first else { return }
        var chased: [InvoiceStanding] = []
        for standing in exposure.invoices where !standing.invoice.isDisputed && !standing.isPromised {
            if standing.daysOverdue >= firstStage.fromDays {
                chased.append(standing)
            } else {
                followUp(on: standing.invoice.dueOn.adding(days: firstStage.fromDays))
            }
        }
        guard let oldest = chased.first, mayContactCustomer(), hasReachableContact(chased) else { return }
        lookForBetterContactAfterSilence(chased)

        var stageIndex = policy.stages.lastIndex { $0.fromDays <= oldest.daysOverdue } ?? 0
        if isSmallBalance {
            stageIndex = 0
        } else if let broken = brokenPromise {
            stageIndex = firmerStage(after: broken, than: stageIndex)
        }
        guard let index = holdForKeyAccountOwner(stageIndex, oldest: oldest) else { return }
        let stage = policy.stages[index]
        guard cadenceAllows(stage, at: index, oldest: oldest), sendWindowIsOpen(for: stage) else { return }

        let numbers = chased.map(\.number)
        outreach = .outreach(stage: stage.name, tone: stage.tone, invoices: numbers, optOutLineRequired: isConsumer)
        reasons.append("""
            reminder at stage \(stage.name) (\(stage.tone.rawValue) tone) for \(Wording.list(numbers)); \
            oldest \(Wording.standing(oldest.daysOverdue))
            """)
        if isConsumer {
            reasons.append("""
                consumer: contacted only \(schedule.window.start)–\(schedule.window.end) local time, \
                and the message must offer a way to opt out
                """)
        }
        followUp(on: today.adding(days: interval(before: stage, advanced: false)))
        followNextStage(after: index, oldest: oldest, notBefore: today.adding(days: policy.minDaysBetweenReminders))
    }

    private mutating func mayContactCustomer() -> Bool {
        let profile = exposure.profile
        if profile.doNotContact || policy.doNotContact.customers.contains(profile.reference) {
            reasons.append("customer is marked do-not-contact: no outreach")
            return false
        }
        if let pausedUntil = profile.pausedUntil, today < pausedUntil {
            reasons.append("customer is paused until \(pausedUntil): no outreach")
            followUp(on: pausedUntil)
            return false
        }
        return true
    }

    /// With no address to write to, the first step is finding one; nothing goes to a dead address.
    private mutating func hasReachableContact(_ chased: [InvoiceStanding]) -> Bool {
        let blocked = policy.doNotContact.domains
        let contacts = exposure.contacts
        let health = blocked.isEmpty ? exposure.contactHealth : ContactHealth(of: contacts, blockedDomains: blocked)
        switch health {
        case .valid:
            return true
        case .bouncedOnly:
            let problem = contacts.count == 1
                ? "the only contact, \(contacts[0].address), bounced"
                : "every contact bounced or may not be written to"
            discoverContact(chased, because: problem + "; nothing is sent to a dead address")
        case .noContact where contacts.isEmpty:
            discoverContact(chased, because: "no contact on file")
        case .noContact:
            reasons.append("every contact opted out or is in a do-not-contact domain: no outreach")
        }
        return false
    }

    private mutating func discoverContact(_ chased: [InvoiceStanding], because problem: String) {
        if let last = exposure.activity.lastContactDiscoveryAt {
            let lookedOn = localDate(of: last)
            let retryOn = lookedOn.adding(days: policy.contactDiscovery.retryDays)
            if today < retryOn {
                reasons.append("\(problem): a new contact was looked for on \(lookedOn); looking again on \(retryOn)")
                followUp(on: retryOn)
                return
            }
        }
        contactDiscovery = .contactDiscovery(invoices: chased.map(\.number))
        reasons.append("\(problem): looking for a new contact before any outreach")
    }

    /// Silence is a sign the mail reaches the wrong person; look once per unanswered reminder past the limit.
    private mutating func lookForBetterContactAfterSilence(_ chased: [InvoiceStanding]) {
        let activity = exposure.activity
        guard activity.remindersWithoutReply >= policy.contactDiscovery.afterSilentReminders,
              let last = activity.lastOutreach,
              activity.lastContactDiscoveryAt.map({ $0 < last.sentAt }) ?? true
        else { return }
        contactDiscovery = .contactDiscovery(invoices: chased.map(\.number))
        reasons.append("""
            \(Wording.count(activity.remindersWithoutReply, "reminder")) without a reply: looking for a better contact
            """)
    }

    /// After a broken promise reminders resume one stage above where they were, once, and stay there.
    private mutating func firmerStage(after broken: PromiseToPay, than ageIndex: Int) -> Int {
        let last = exposure.activity.lastOutreach
        let lastIndex = last.flatMap { last in policy.stages.firstIndex { $0.name == last.stage } }
        let resumed = last.map { localDate(of: $0.sentAt) >= broken.brokenOn } ?? false
        let base = lastIndex ?? ageIndex
        let index = min(max(ageIndex, resumed ? base : base + 1), policy.stages.count - 1)
        if !resumed {
            reasons.append("""
                promise to pay by \(broken.promisedOn) was broken: reminders resume at stage \(policy.stages[index].name)
                """)
        }
        return index
    }

    /// A key account's owner hears before the customer gets the stage named by the policy; until the owner
    /// has had the lead time, reminders stay one stage below. Nil when no stage may be sent yet.
    private mutating func holdForKeyAccountOwner(_ index: Int, oldest: InvoiceStanding) -> Int? {
        let rules = policy.ownerInvolvement
        guard exposure.profile.isKeyAccount, let gateName = rules.keyAccountBeforeStage,
              let gate = policy.stages.firstIndex(where: { $0.name == gateName }), index >= gate
        else { return index }
        let toldOn = exposure.activity.lastOwnerNotificationAt.map(localDate(of:))
        // A notification older than the oldest chased invoice's due date was about an earlier episode.
        if let toldOn, toldOn >= oldest.invoice.dueOn {
            let releaseOn = toldOn.adding(days: rules.keyAccountLeadDays)
            guard today < releaseOn else { return index }
            reasons.append("""
                key account: stage \(gateName) waits until \(releaseOn), \
                \(Wording.count(rules.keyAccountLeadDays, "day")) after the account owner was told on \(toldOn)
                """)
            followUp(on: releaseOn)
        } else {
            urgentOwnerTriggers.append("key account reached stage \(gateName); the owner hears before the customer does")
            guard rules.keyAccountLeadDays > 0 else { return index }
            let releaseOn = today.adding(days: rules.keyAccountLeadDays)
            reasons.append("key account: stage \(gateName) held until \(releaseOn) so the account owner is involved first")
            followUp(on: releaseOn)
        }
        return gate > 0 ? gate - 1 : nil
    }

    /// A new stage may go out once the minimum gap has passed; the same stage again after its repeat interval.
    private mutating func cadenceAllows(_ stage: Stage, at index: Int, oldest: InvoiceStanding) -> Bool {
        guard let last = exposure.activity.lastOutreach else { return true }
        let sentOn = localDate(of: last.sentAt)
        let lastIndex = policy.stages.firstIndex { $0.name == last.stage }
        let advanced = lastIndex.map { index > $0 } ?? true
        let dueOn = sentOn.adding(days: interval(before: stage, advanced: advanced))
        guard today < dueOn else { return true }
        let ago = Wording.ago(sentOn.days(until: today))
        reasons.append(advanced
            ? """
                stage \(stage.name) is due, but the last reminder went out \(ago) and reminders are at least \
                \(Wording.count(policy.minDaysBetweenReminders, "day")) apart: next on \(dueOn)
                """
            : "last reminder (stage \(last.stage)) went out \(ago): the next one is due on \(dueOn)")
        followUp(on: dueOn)
        followNextStage(after: index, oldest: oldest,
                        notBefore: sentOn.adding(days: policy.minDaysBetweenReminders))
        return false
    }

    /// Days to wait after a reminder before the next one.
    private func interval(before stage: Stage, advanced: Bool) -> Int {
        let minimum = policy.minDaysBetweenReminders
        if advanced { return minimum }
        let repeatDays = isSmallBalance ? max(stage.repeatDays, policy.smallBalance.reminderIntervalDays) : stage.repeatDays
        return max(minimum, repeatDays)
    }

    private mutating func followNextStage(after index: Int, oldest: InvoiceStanding, notBefore: CalendarDate) {
        guard !isSmallBalance, index + 1 < policy.stages.count else { return }
        followUp(on: max(oldest.invoice.dueOn.adding(days: policy.stages[index + 1].fromDays), notBefore))
    }

    /// Nothing is sent outside the window or on a non-business day in the customer's zone; the decision
    /// defers and the next review is the window's next opening.
    private mutating func sendWindowIsOpen(for stage: Stage) -> Bool {
        let local = exposure.local
        guard !schedule.isOpen(at: local) else { return true }
        let opening = schedule.nextOpening(after: local)
        let openingLocal = LocalDateTime(opening, in: exposure.profile.timeZone)
        deferredUntil = opening
        reasons.append("""
            stage \(stage.name) reminder deferred: it is \(local.date.weekday.name) \(local.time) in \
            \(exposure.profile.timeZone.identifier) and \(schedule.closure(at: local)); the send window opens \
            \(openingLocal.date.weekday.name) \(openingLocal.date) \(openingLocal.time)
            """)
        return false
    }
}
