import Foundation

/// A value that can be read from a policy document, reporting what is wrong instead of throwing.
protocol PolicyReadable {
    /// `current` is the value in force when the document leaves keys out (the default), or nil for
    /// list elements, which have no default.
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self?
}

extension PolicyReadable {
    /// The `Decodable` entry point for every policy type: read the tree, throw all problems at once.
    static func decodeReporting(from decoder: any Decoder, current: Self?) throws -> Self {
        let json = try JSONValue(from: decoder)
        var problems = ProblemList()
        let value = read(json, at: JSONPath(decoder.codingPath), current: current, problems: &problems)
        guard let value, problems.isEmpty else { throw PolicyValidationError(problems: problems.problems) }
        return value
    }
}

/// The keys of one JSON object, checked against the keys its type knows.
struct PolicyObject {
    let fields: [String: JSONValue]
    let path: JSONPath

    init?<Key: CodingKey & CaseIterable>(
        _ json: JSONValue, at path: JSONPath, keys: Key.Type, problems: inout ProblemList
    ) {
        guard case .object(let fields) = json else {
            problems.add(path, "expected an object, found \(json.summary)")
            return nil
        }
        let known = Key.allCases.map(\.stringValue)
        for key in fields.keys.sorted() where !known.contains(key) {
            problems.add(path[key], "unknown key; expected one of: " + known.joined(separator: ", "))
        }
        self.fields = fields
        self.path = path
    }

    /// Reads `key` over `value`, keeping `value` when the key is absent or wrong.
    func read<Value: PolicyReadable>(_ key: some CodingKey, into value: inout Value, problems: inout ProblemList) {
        guard let json = fields[key.stringValue] else { return }
        if let read = Value.read(json, at: path[key], current: value, problems: &problems) { value = read }
    }

    /// Reads a key that has no default.
    func require<Value: PolicyReadable>(_ key: some CodingKey, problems: inout ProblemList) -> Value? {
        guard let json = fields[key.stringValue] else {
            problems.add(path[key], "required")
            return nil
        }
        return Value.read(json, at: path[key], current: nil, problems: &problems)
    }
}

extension Int: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Int?, problems: inout ProblemList) -> Int? {
        guard case .integer(let integer) = json else {
            problems.add(path, "expected a whole number, found \(json.summary)")
            return nil
        }
        return integer
    }
}

extension Double: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Double?, problems: inout ProblemList) -> Double? {
        switch json {
        case .integer(let integer): return Double(integer)
        case .number(let number): return number
        default:
            problems.add(path, "expected a number, found \(json.summary)")
            return nil
        }
    }
}

extension Bool: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Bool?, problems: inout ProblemList) -> Bool? {
        guard case .bool(let bool) = json else {
            problems.add(path, "expected true or false, found \(json.summary)")
            return nil
        }
        return bool
    }
}

extension String: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: String?, problems: inout ProblemList) -> String? {
        guard case .string(let string) = json else {
            problems.add(path, "expected a string, found \(json.summary)")
            return nil
        }
        return string
    }
}

/// A JSON string turned into a value by a failable initializer, with a sentence for strings it refuses.
protocol PolicyReadableFromString: PolicyReadable {
    static func parse(policyText: String) -> Self?
    static func refusal(_ text: String) -> String
}

extension PolicyReadableFromString {
    static func read(_ json: JSONValue, at path: JSONPath, current: Self?, problems: inout ProblemList) -> Self? {
        guard let text = String.read(json, at: path, current: nil, problems: &problems) else { return nil }
        guard let value = parse(policyText: text) else {
            problems.add(path, refusal(text))
            return nil
        }
        return value
    }
}

extension CalendarDate: PolicyReadableFromString {
    static func parse(policyText: String) -> CalendarDate? { CalendarDate(policyText) }
    static func refusal(_ text: String) -> String { invalidDateMessage(text) }
}

extension TimeOfDay: PolicyReadableFromString {
    static func parse(policyText: String) -> TimeOfDay? { TimeOfDay(policyText) }
    static func refusal(_ text: String) -> String { invalidTimeMessage(text) }
}

extension Weekday: PolicyReadableFromString {
    static func parse(policyText: String) -> Weekday? { Weekday(rawValue: policyText) }
    static func refusal(_ text: String) -> String {
        "\"\(text)\" is not a weekday; use one of " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension Optional: PolicyReadable where Wrapped: PolicyReadable {
    /// `null` clears the value; anything else must be a valid `Wrapped`.
    static func read(_ json: JSONValue, at path: JSONPath, current: Wrapped??, problems: inout ProblemList) -> Wrapped?? {
        if case .null = json { return .some(nil) }
        guard let value = Wrapped.read(json, at: path, current: nil, problems: &problems) else { return nil }
        return .some(value)
    }
}

extension Array: PolicyReadable where Element: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: [Element]?, problems: inout ProblemList) -> [Element]? {
        guard case .array(let elements) = json else {
            problems.add(path, "expected a list, found \(json.summary)")
            return nil
        }
        var result: [Element] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            if let value = Element.read(element, at: path[index], current: nil, problems: &problems) {
                result.append(value)
            } else {
                complete = false
            }
        }
        return complete ? result : nil
    }
}

extension Set: PolicyReadable where Element: PolicyReadable {
    static func read(_ json: JSONValue, at path: JSONPath, current: Set<Element>?, problems: inout ProblemList) -> Set<Element>? {
        guard let elements = [Element].read(json, at: path, current: nil, problems: &problems) else { return nil }
        return Set(elements)
    }
}

extension CurrencyAmounts: PolicyReadable {
    /// Each key is a currency code and each value a decimal string in that currency's decimals.
    static func read(_ json: JSONValue, at path: JSONPath, current: CurrencyAmounts?, problems: inout ProblemList) -> CurrencyAmounts? {
        guard case .object(let fields) = json else {
            problems.add(path, "expected an object of amounts by currency, like {\"EUR\": \"50.00\"}, found \(json.summary)")
            return nil
        }
        var amounts: [Money] = []
        var complete = true
        for key in fields.keys.sorted() {
            guard let currency = CurrencyCode(code: key) else {
                problems.add(path[key], CurrencyCode.invalidCodeMessage(key))
                complete = false
                continue
            }
            guard let text = String.read(fields[key]!, at: path[key], current: nil, problems: &problems) else {
                complete = false
                continue
            }
            do {
                amounts.append(try Money(parsing: text, currency: currency))
            } catch {
                problems.add(path[key], error.description)
                complete = false
            }
        }
        return complete ? CurrencyAmounts(amounts) : nil
    }
}

extension CurrencyAmounts: Decodable {
    public init(from decoder: any Decoder) throws {
        self = try Self.decodeReporting(from: decoder, current: nil)
    }
}
