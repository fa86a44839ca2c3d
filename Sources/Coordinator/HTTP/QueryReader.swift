import Dunning
import Foundation
import Store

/// Reads query parameters strictly: percent-decoded, each at most once, unknown ones refused
/// (a misspelt filter must not silently return everything). Problems are 400s.
struct QueryReader {
    private var values: [String: String] = [:]
    private var used = Set<String>()
    private var problems: [ErrorDetail] = []

    init(query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                problems.append(ErrorDetail(field: String(parts[0]), reason: "is not validly percent-encoded"))
                continue
            }
            if values[name] != nil {
                problems.append(ErrorDetail(field: name, reason: "is given more than once"))
            }
            values[name] = value
        }
    }

    private static func decode(_ text: Substring) -> String? {
        let plusAsSpace = text.replacingOccurrences(of: "+", with: " ")
        return plusAsSpace.contains("%") ? plusAsSpace.removingPercentEncoding : plusAsSpace
    }

    private mutating func take(_ name: String) -> String? {
        used.insert(name)
        return values[name]
    }

    private mutating func problem(_ name: String, _ reason: String) {
        problems.append(ErrorDetail(field: name, reason: reason))
    }

    mutating func string(_ name: String, rule: (String) -> String? = { _ in nil }) -> String? {
        guard let text = take(name) else { return nil }
        if let reason = FieldRules.text(text, minimum: 1, maximum: 500) ?? rule(text) {
            problem(name, reason)
            return nil
        }
        return text
    }

    mutating func oneOf(_ name: String, _ allowed: [String]) -> String? {
        string(name) { allowed.contains($0) ? nil : "must be one of \(allowed.joined(separator: ", "))" }
    }

    mutating func integer(_ name: String, minimum: Int64, maximum: Int64 = .max) -> Int64? {
        guard let text = take(name) else { return nil }
        guard let value = Int64(text), value >= minimum, value <= maximum else {
            problem(name, "must be an integer from \(minimum)\(maximum == .max ? "" : " to \(maximum)")")
            return nil
        }
        return value
    }

    mutating func id(_ name: String) -> Int64? {
        integer(name, minimum: 1)
    }

    mutating func date(_ name: String) -> CalendarDate? {
        guard let text = take(name) else { return nil }
        guard let date = CalendarDate(text) else {
            problem(name, "\"\(text)\" is not a date; use YYYY-MM-DD")
            return nil
        }
        return date
    }

    /// `limit` (1–100, default 20) and `starting_after` (the last id of the previous page).
    mutating func page() -> PageRequest {
        let limit = integer("limit", minimum: 1, maximum: Int64(PageRequest.maximumLimit)).map(Int.init) ?? PageRequest.defaultLimit
        return PageRequest(limit: limit, startingAfter: id("starting_after"))
    }

    mutating func finish() throws(APIError) {
        for name in values.keys.sorted() where !used.contains(name) {
            problem(name, "is not a known parameter")
        }
        if !problems.isEmpty {
            throw APIError(.badRequest, "invalid_parameter", "some query parameters are not valid", details: problems)
        }
    }
}
