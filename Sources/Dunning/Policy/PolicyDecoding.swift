import Foundation

// How each part of a policy is read from its JSON tree: unknown keys and wrong types become problems,
// absent keys keep the value in force. Ranges and cross-field rules are checked in PolicyValidation.

extension Tone: PolicyReadableFromString {
    static func parse(policyText: String) -> Tone? { Tone(rawValue: policyText) }
    static func refusal(_ text: String) -> String {
        "\"\(text)\" is not a tone; use one of " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension Stage: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Stage?, problems: inout ProblemList) -> Stage? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        let name: String? = object.require(CodingKeys.name, problems: &problems)
        let fromDays: Int? = object.require(CodingKeys.fromDays, problems: &problems)
        let tone: Tone? = object.require(CodingKeys.tone, problems: &problems)
        var repeatDays = current?.repeatDays ?? 7
        object.read(CodingKeys.repeatDays, into: &repeatDays, problems: &problems)
        guard let name, let fromDays, let tone else { return nil }
        return Stage(name: name, fromDays: fromDays, tone: tone, repeatDays: repeatDays)
    }
}

extension SmallBalanceRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.smallBalance
        object.read(CodingKeys.tolerance, into: &rules.tolerance, problems: &problems)
        object.read(CodingKeys.goodHistoryFactor, into: &rules.goodHistoryFactor, problems: &problems)
        object.read(CodingKeys.reminderIntervalDays, into: &rules.reminderIntervalDays, problems: &problems)
        return rules
    }
}

extension GoodHistoryRule: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rule = current ?? Policy.standard.goodHistory
        object.read(CodingKeys.minOnTimeRatio, into: &rule.minOnTimeRatio, problems: &problems)
        object.read(CodingKeys.minPaidInvoices, into: &rule.minPaidInvoices, problems: &problems)
        return rule
    }
}

extension EscalationLevel: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var level = current ?? EscalationLevel()
        object.read(CodingKeys.totalOverdue, into: &level.totalOverdue, problems: &problems)
        object.read(CodingKeys.overdueInvoices, into: &level.overdueInvoices, problems: &problems)
        object.read(CodingKeys.oldestDaysOverdue, into: &level.oldestDaysOverdue, problems: &problems)
        return level
    }
}

extension EscalationRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.escalation
        object.read(CodingKeys.levels, into: &rules.levels, problems: &problems)
        object.read(CodingKeys.brokenPromiseRaisesLevel, into: &rules.brokenPromiseRaisesLevel, problems: &problems)
        object.read(CodingKeys.brokenPromiseMemoryDays, into: &rules.brokenPromiseMemoryDays, problems: &problems)
        object.read(CodingKeys.pauseOutreachFromLevel, into: &rules.pauseOutreachFromLevel, problems: &problems)
        object.read(CodingKeys.pauseOutreachDays, into: &rules.pauseOutreachDays, problems: &problems)
        return rules
    }
}

extension OwnerInvolvementRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.ownerInvolvement
        object.read(CodingKeys.highValueTotal, into: &rules.highValueTotal, problems: &problems)
        object.read(CodingKeys.keyAccountTotal, into: &rules.keyAccountTotal, problems: &problems)
        object.read(CodingKeys.keyAccountBeforeStage, into: &rules.keyAccountBeforeStage, problems: &problems)
        object.read(CodingKeys.keyAccountLeadDays, into: &rules.keyAccountLeadDays, problems: &problems)
        object.read(CodingKeys.onBrokenPromise, into: &rules.onBrokenPromise, problems: &problems)
        object.read(CodingKeys.onWorseningTrend, into: &rules.onWorseningTrend, problems: &problems)
        object.read(CodingKeys.renotifyDays, into: &rules.renotifyDays, problems: &problems)
        return rules
    }
}

extension TimeWindow: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var window = current ?? Policy.standard.sendWindow
        object.read(CodingKeys.start, into: &window.start, problems: &problems)
        object.read(CodingKeys.end, into: &window.end, problems: &problems)
        return window
    }
}

extension ConsumerMode: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var mode = current ?? Policy.standard.consumerMode
        object.read(CodingKeys.enabled, into: &mode.enabled, problems: &problems)
        object.read(CodingKeys.contactWindow, into: &mode.contactWindow, problems: &problems)
        return mode
    }
}

extension DoNotContactRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.doNotContact
        object.read(CodingKeys.customers, into: &rules.customers, problems: &problems)
        object.read(CodingKeys.domains, into: &rules.domains, problems: &problems)
        return rules
    }
}

extension ContactDiscoveryRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.contactDiscovery
        object.read(CodingKeys.afterSilentReminders, into: &rules.afterSilentReminders, problems: &problems)
        object.read(CodingKeys.retryDays, into: &rules.retryDays, problems: &problems)
        object.read(CodingKeys.autoApply, into: &rules.autoApply, problems: &problems)
        return rules
    }
}

extension ReplyRules: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var rules = current ?? Policy.standard.replies
        object.read(CodingKeys.questionPauseDays, into: &rules.questionPauseDays, problems: &problems)
        object.read(CodingKeys.alreadyPaidPauseDays, into: &rules.alreadyPaidPauseDays, problems: &problems)
        object.read(CodingKeys.outOfOfficeDefaultDays, into: &rules.outOfOfficeDefaultDays, problems: &problems)
        object.read(CodingKeys.promiseWithoutDateDays, into: &rules.promiseWithoutDateDays, problems: &problems)
        return rules
    }
}

extension Policy: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Policy?, problems: inout ProblemList) -> Policy? {
        guard let object = PolicyObject(json, at: path, keys: CodingKeys.self, problems: &problems) else { return nil }
        var policy = current ?? .standard
        object.read(CodingKeys.stages, into: &policy.stages, problems: &problems)
        object.read(CodingKeys.minDaysBetweenReminders, into: &policy.minDaysBetweenReminders, problems: &problems)
        object.read(CodingKeys.smallBalance, into: &policy.smallBalance, problems: &problems)
        object.read(CodingKeys.goodHistory, into: &policy.goodHistory, problems: &problems)
        object.read(CodingKeys.escalation, into: &policy.escalation, problems: &problems)
        object.read(CodingKeys.ownerInvolvement, into: &policy.ownerInvolvement, problems: &problems)
        object.read(CodingKeys.sendWindow, into: &policy.sendWindow, problems: &problems)
        object.read(CodingKeys.businessDays, into: &policy.businessDays, problems: &problems)
        object.read(CodingKeys.holidays, into: &policy.holidays, problems: &problems)
        object.read(CodingKeys.consumerMode, into: &policy.consumerMode, problems: &problems)
        object.read(CodingKeys.doNotContact, into: &policy.doNotContact, problems: &problems)
        object.read(CodingKeys.promiseGraceDays, into: &policy.promiseGraceDays, problems: &problems)
        object.read(CodingKeys.contactDiscovery, into: &policy.contactDiscovery, problems: &problems)
        object.read(CodingKeys.replies, into: &policy.replies, problems: &problems)
        object.read(CodingKeys.reviewIntervalDays, into: &policy.reviewIntervalDays, problems: &problems)
        return policy
    }
}
