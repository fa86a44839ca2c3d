import Foundation

extension Policy {
    /// Values out of range and rules that contradict each other, with the JSON path of each.
    /// Empty for a usable policy; decoding already refuses a document with problems.
    public func validationProblems() -> [PolicyProblem] {
        var problems = ProblemList()
        validate(at: .root, problems: &problems)
        return problems.problems
    }

    func validate(at path: JSONPath, problems: inout ProblemList) {
        validateStages(at: path[CodingKeys.stages], problems: &problems)
        check(minDaysBetweenReminders, in: 1...365, at: path[CodingKeys.minDaysBetweenReminders], &problems)

        let small = path[CodingKeys.smallBalance]
        checkAmounts(smallBalance.tolerance, allowZero: true,
                     at: small[SmallBalanceRules.CodingKeys.tolerance], &problems)
        check(smallBalance.goodHistoryFactor, in: 1...100,
              at: small[SmallBalanceRules.CodingKeys.goodHistoryFactor], &problems)
        check(smallBalance.reminderIntervalDays, in: 1...365,
              at: small[SmallBalanceRules.CodingKeys.reminderIntervalDays], &problems)

        let good = path[CodingKeys.goodHistory]
        if !(0...1).contains(goodHistory.minOnTimeRatio) {
            problems.add(good[GoodHistoryRule.CodingKeys.minOnTimeRatio], "must be between 0 and 1, like 0.9")
        }
        check(goodHistory.minPaidInvoices, in: 1...1000,
              at: good[GoodHistoryRule.CodingKeys.minPaidInvoices], &problems)

        validateEscalation(at: path[CodingKeys.escalation], problems: &problems)
        validateOwnerInvolvement(at: path[CodingKeys.ownerInvolvement], problems: &problems)

        validateWindow(sendWindow, at: path[CodingKeys.sendWindow], &problems)
        if businessDays.isEmpty {
            problems.add(path[CodingKeys.businessDays], "needs at least one day, or nothing is ever sent")
        }
        let consumerWindow = path[CodingKeys.consumerMode][ConsumerMode.CodingKeys.contactWindow]
        validateWindow(consumerMode.contactWindow, at: consumerWindow, &problems)
        if ConsumerMode.legalWindow.intersection(consumerMode.contactWindow) != consumerMode.contactWindow {
            problems.add(consumerWindow, "must lie within \(ConsumerMode.legalWindow.description): "
                + "consumers may not be contacted before 08:00 or after 21:00 local time")
        } else if sendWindow.intersection(consumerMode.contactWindow) == nil {
            problems.add(consumerWindow, "does not overlap send_window \(sendWindow.description), "
                + "so consumers could never be reminded")
        }

        let doNotContactPath = path[CodingKeys.doNotContact]
        for customer in doNotContact.customers.sorted() where customer.isEmpty {
            problems.add(doNotContactPath[DoNotContactRules.CodingKeys.customers], "contains an empty reference")
        }
        for domain in doNotContact.domains.sorted() where !Self.isMailDomain(domain) {
            problems.add(doNotContactPath[DoNotContactRules.CodingKeys.domains],
                         "\"\(domain)\" is not a lower-case mail domain like example.com")
        }

        check(promiseGraceDays, in: 0...60, at: path[CodingKeys.promiseGraceDays], &problems)
        let discovery = path[CodingKeys.contactDiscovery]
        check(contactDiscovery.afterSilentReminders, in: 1...50,
              at: discovery[ContactDiscoveryRules.CodingKeys.afterSilentReminders], &problems)
        check(contactDiscovery.retryDays, in: 1...365,
              at: discovery[ContactDiscoveryRules.CodingKeys.retryDays], &problems)
        check(reviewIntervalDays, in: 1...90, at: path[CodingKeys.reviewIntervalDays], &problems)

        let repliesPath = path[CodingKeys.replies]
        check(replies.questionPauseDays, in: 0...60, at: repliesPath[ReplyRules.CodingKeys.questionPauseDays], &problems)
        check(replies.alreadyPaidPauseDays, in: 0...60,
              at: repliesPath[ReplyRules.CodingKeys.alreadyPaidPauseDays], &problems)
        check(replies.outOfOfficeDefaultDays, in: 1...60,
              at: repliesPath[ReplyRules.CodingKeys.outOfOfficeDefaultDays], &problems)
        check(replies.promiseWithoutDateDays, in: 1...60,
              at: repliesPath[ReplyRules.CodingKeys.promiseWithoutDateDays], &problems)
    }

    private func validateStages(at path: JSONPath, problems: inout ProblemList) {
        if stages.isEmpty { problems.add(path, "needs at least one stage") }
        var seen: Set<String> = []
        for (index, stage) in stages.enumerated() {
            let stagePath = path[index]
            if !Self.isStageName(stage.name) {
                problems.add(stagePath[Stage.CodingKeys.name],
                             "\"\(stage.name)\" must be 1–40 lower-case letters, digits or _, starting with a letter")
            } else if !seen.insert(stage.name).inserted {
                problems.add(stagePath[Stage.CodingKeys.name], "\"\(stage.name)\" is used by an earlier stage")
            }
            check(stage.fromDays, in: -60...3650, at: stagePath[Stage.CodingKeys.fromDays], &problems)
            if index > 0, stage.fromDays <= stages[index - 1].fromDays {
                problems.add(stagePath[Stage.CodingKeys.fromDays],
                             "must be greater than the previous stage's \(stages[index - 1].fromDays); "
                                + "stages are listed from earliest to latest")
            }
            check(stage.repeatDays, in: 1...365, at: stagePath[Stage.CodingKeys.repeatDays], &problems)
        }
    }

    private func validateEscalation(at path: JSONPath, problems: inout ProblemList) {
        let levelsPath = path[EscalationRules.CodingKeys.levels]
        if escalation.levels.count > 9 { problems.add(levelsPath, "at most 9 levels") }
        for (index, level) in escalation.levels.enumerated() {
            let levelPath = levelsPath[index]
            if level.totalOverdue.isEmpty, level.overdueInvoices == nil, level.oldestDaysOverdue == nil {
                problems.add(levelPath, "level \(index + 1) needs at least one threshold: "
                    + "total_overdue, overdue_invoices or oldest_days_overdue")
            }
            checkAmounts(level.totalOverdue, allowZero: false,
                         at: levelPath[EscalationLevel.CodingKeys.totalOverdue], &problems)
            if let count = level.overdueInvoices {
                check(count, in: 1...100_000, at: levelPath[EscalationLevel.CodingKeys.overdueInvoices], &problems)
            }
            if let days = level.oldestDaysOverdue {
                check(days, in: 1...3650, at: levelPath[EscalationLevel.CodingKeys.oldestDaysOverdue], &problems)
            }
        }
        check(escalation.brokenPromiseMemoryDays, in: 1...3650,
              at: path[EscalationRules.CodingKeys.brokenPromiseMemoryDays], &problems)
        check(escalation.pauseOutreachFromLevel, in: 0...9,
              at: path[EscalationRules.CodingKeys.pauseOutreachFromLevel], &problems)
        check(escalation.pauseOutreachDays, in: 1...365,
              at: path[EscalationRules.CodingKeys.pauseOutreachDays], &problems)
    }

    private func validateOwnerInvolvement(at path: JSONPath, problems: inout ProblemList) {
        typealias Keys = OwnerInvolvementRules.CodingKeys
        checkAmounts(ownerInvolvement.highValueTotal, allowZero: false, at: path[Keys.highValueTotal], &problems)
        checkAmounts(ownerInvolvement.keyAccountTotal, allowZero: false, at: path[Keys.keyAccountTotal], &problems)
        if let stage = ownerInvolvement.keyAccountBeforeStage, !stages.contains(where: { $0.name == stage }) {
            problems.add(path[Keys.keyAccountBeforeStage], "\"\(stage)\" is not one of the stages: "
                + stages.map(\.name).joined(separator: ", "))
        }
        check(ownerInvolvement.keyAccountLeadDays, in: 0...60, at: path[Keys.keyAccountLeadDays], &problems)
        check(ownerInvolvement.renotifyDays, in: 1...365, at: path[Keys.renotifyDays], &problems)
    }

    private func validateWindow(_ window: TimeWindow, at path: JSONPath, _ problems: inout ProblemList) {
        if window.start.minutesSinceMidnight == 24 * 60 {
            problems.add(path[TimeWindow.CodingKeys.start], "24:00 can only end a window")
        } else if window.end <= window.start {
            problems.add(path[TimeWindow.CodingKeys.end],
                         "must be later than start \(window.start); windows cannot run past midnight")
        }
    }

    private func check(_ value: Int, in range: ClosedRange<Int>, at path: JSONPath, _ problems: inout ProblemList) {
        if !range.contains(value) {
            problems.add(path, "\(value) is out of range; use \(range.lowerBound) to \(range.upperBound)")
        }
    }

    private func checkAmounts(_ amounts: CurrencyAmounts, allowZero: Bool, at path: JSONPath,
                              _ problems: inout ProblemList) {
        for amount in amounts.amounts where amount.minorUnits < 0 || !allowZero && amount.minorUnits == 0 {
            problems.add(path[amount.currency.code], allowZero ? "must not be negative" : "must be more than zero")
        }
    }

    private static func isStageName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 40,
              ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func isMailDomain(_ domain: String) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && domain.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        }
    }
}
