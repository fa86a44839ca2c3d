import Dunning
import Store

/// Reads a JSON object field by field, collecting every problem instead of stopping at the
/// first. Wrong types and unknown fields are request errors (400); values of the right type
/// that break a rule are validation errors (422).
struct ObjectReader {
    private var fields: [String: JSON] = [:]
    private var order: [String] = []
    private var used = Set<String>()
    private(set) var typeProblems: [ErrorDetail] = []
    private(set) var valueProblems: [ErrorDetail] = []
    let path: String

    init(_ json: JSON, path: String = "") {
        self.path = path
        if case .object(let pairs) = json {
            for (key, value) in pairs {
                fields[key] = value
                order.append(key)
            }
        } else {
            typeProblems.append(ErrorDetail(field: path.isEmpty ? "$" : path, reason: "must be an object, not \(json.kind)"))
        }
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func typeProblem(_ key: String, _ reason: String) {
        typeProblems.append(ErrorDetail(field: name(key), reason: reason))
    }

    mutating func valueProblem(_ key: String, _ reason: String) {
        valueProblems.append(ErrorDetail(field: name(key), reason: reason))
    }

    mutating func absorb(_ other: ObjectReader) {
        typeProblems += other.typeProblems
        valueProblems += other.valueProblems
    }

    /// The raw value of a field, marking it read; nil when absent.
    mutating func take(_ key: String) -> JSON? {
        used.insert(key)
        return fields[key]
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    /// Fields that must be present (for a create or a full replacement).
    mutating func requirePresent(_ keys: String...) {
        for key in keys where !has(key) { typeProblem(key, "is required") }
    }

    /// A field the request may not change.
    mutating func refuse(_ key: String, _ reason: String) {
        if take(key) != nil { typeProblem(key, reason) }
    }

    // MARK: - Typed fields; `.unchanged` when absent, and also when the value was refused.

    mutating func string(_ key: String, maximum: Int = 100_000, rule: (String) -> String? = { _ in nil }) -> FieldUpdate<String> {
        guard let json = take(key) else { return .unchanged }
        guard case .string(let text) = json else {
            typeProblem(key, "must be a string, not \(json.kind)")
            return .unchanged
        }
        if let reason = FieldRules.text(text, maximum: maximum) ?? rule(text) {
            valueProblem(key, reason)
            return .unchanged
        }
        return .set(text)
    }

    /// A string that may be set to null to clear it.
    mutating func nullableString(_ key: String, rule: (String) -> String? = { _ in nil }) -> FieldUpdate<String?> {
        if case .null = fields[key] {
            used.insert(key)
            return .set(nil)
        }
        switch string(key, rule: rule) {
        case .set(let text): return .set(text)
        case .unchanged: return .unchanged
        }
    }

    mutating func oneOf(_ key: String, _ allowed: [String]) -> FieldUpdate<String> {
        string(key) { allowed.contains($0) ? nil : "must be one of \(allowed.joined(separator: ", "))" }
    }

    mutating func integer(_ key: String, minimum: Int64 = .min, maximum: Int64 = .max) -> FieldUpdate<Int64> {
        guard let json = take(key) else { return .unchanged }
        guard case .number(let text) = json else {
            typeProblem(key, "must be an integer, not \(json.kind)")
            return .unchanged
        }
        guard let value = Int64(text) else {
            if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                typeProblem(key, "must be an integer, not \(text)")
            } else {
                valueProblem(key, "is out of range")
            }
            return .unchanged
        }
        guard value >= minimum, value <= maximum else {
            valueProblem(key, value < minimum ? "must be at least \(minimum)" : "must be at most \(maximum)")
            return .unchanged
        }
        return .set(value)
    }

    /// Money in integer minor units.
    mutating func amount(_ key: String, allowZero: Bool) -> FieldUpdate<Int64> {
        integer(key, minimum: allowZero ? 0 : 1, maximum: FieldRules.maximumAmount)
    }

    mutating func boolean(_ key: String) -> FieldUpdate<Bool> {
        guard let json = take(key) else { return .unchanged }
        guard case .bool(let value) = json else {
            typeProblem(key, "must be true or false, not \(json.kind)")
            return .unchanged
        }
        return .set(value)
    }

    mutating func date(_ key: String) -> FieldUpdate<CalendarDate> {
        switch string(key) {
        case .unchanged: return .unchanged
        case .set(let text):
            guard let date = CalendarDate(text) else {
                valueProblem(key, "\"\(text)\" is not a date; use YYYY-MM-DD, like 2025-03-14")
                return .unchanged
            }
            return .set(date)
        }
    }

    mutating func nullableDate(_ key: String) -> FieldUpdate<CalendarDate?> {
        if case .null = fields[key] {
            used.insert(key)
            return .set(nil)
        }
        switch date(key) {
        case .set(let date): return .set(date)
        case .unchanged: return .unchanged
        }
    }

    /// An array of strings, each checked by `rule`.
    mutating func strings(_ key: String, maximumCount: Int = 1000, rule: (String) -> String? = { _ in nil }) -> FieldUpdate<[String]> {
        guard let json = take(key) else { return .unchanged }
        guard case .array(let elements) = json else {
            typeProblem(key, "must be an array of strings, not \(json.kind)")
            return .unchanged
        }
        guard elements.count <= maximumCount else {
            valueProblem(key, "must have at most \(maximumCount) elements")
            return .unchanged
        }
        var values: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                typeProblem("\(key)[\(index)]", "must be a string, not \(element.kind)")
                return .unchanged
            }
            if let reason = FieldRules.text(text, maximum: 100_000) ?? rule(text) {
                valueProblem("\(key)[\(index)]", reason)
                return .unchanged
            }
            values.append(text)
        }
        return .set(values)
    }

    mutating func integers(_ key: String, maximumCount: Int = 1000) -> FieldUpdate<[Int64]> {
        guard let json = take(key) else { return .unchanged }
        guard case .array(let elements) = json else {
            typeProblem(key, "must be an array of integers, not \(json.kind)")
            return .unchanged
        }
        guard elements.count <= maximumCount else {
            valueProblem(key, "must have at most \(maximumCount) elements")
            return .unchanged
        }
        var values: [Int64] = []
        for (index, element) in elements.enumerated() {
            guard case .number(let text) = element, let value = Int64(text) else {
                typeProblem("\(key)[\(index)]", "must be an integer")
                return .unchanged
            }
            guard value >= 1 else {
                valueProblem("\(key)[\(index)]", "must be at least 1")
                return .unchanged
            }
            values.append(value)
        }
        if Set(values).count != values.count {
            valueProblem(key, "must not name an id twice")
            return .unchanged
        }
        return .set(values)
    }

    /// Unknown fields are refused, so a typo is never silently ignored.
    mutating func rejectUnknownFields() {
        for key in order where !used.contains(key) {
            typeProblem(key, "is not a known field")
        }
    }

    /// Throws the problems found, if any: 400 for shape, else 422 for values.
    mutating func finish() throws(APIError) {
        rejectUnknownFields()
        try throwIfProblems()
    }

    func throwIfProblems() throws(APIError) {
        if !typeProblems.isEmpty {
            throw APIError.invalidRequest("the request body does not have the expected shape", details: typeProblems + valueProblems)
        }
        if !valueProblems.isEmpty {
            throw APIError.validation("some values are not valid", details: valueProblems)
        }
    }
}
