import Foundation

/// One thing wrong with a policy document, at a JSON path such as `$.stages[1].tone`.
public struct PolicyProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A policy document that cannot be used, with every problem found (not just the first).
public struct PolicyValidationError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public let problems: [PolicyProblem]

    public init(problems: [PolicyProblem]) {
        self.problems = problems
    }

    public var description: String {
        "invalid policy: " + problems.map(\.description).joined(separator: "; ")
    }
}

/// A location in a JSON document, printed as `$.escalation.levels[0].total_overdue.EUR`.
struct JSONPath: CustomStringConvertible, Sendable {
    private enum Step: Sendable {
        case key(String)
        case index(Int)
    }

    private var steps: [Step] = []

    static let root = JSONPath()

    init() {}

    init(_ codingPath: [any CodingKey]) {
        steps = codingPath.map { key in key.intValue.map(Step.index) ?? .key(key.stringValue) }
    }

    subscript(key: String) -> JSONPath {
        var path = self
        path.steps.append(.key(key))
        return path
    }

    subscript(key: some CodingKey) -> JSONPath { self[key.stringValue] }

    subscript(index: Int) -> JSONPath {
        var path = self
        path.steps.append(.index(index))
        return path
    }

    var description: String {
        var text = "$"
        for step in steps {
            switch step {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where !key.isEmpty && key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }):
                text += "." + key
            case .key(let key):
                text += "[\"" + key.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
            }
        }
        return text
    }
}

/// Collects problems while a policy is read or checked.
struct ProblemList {
    private(set) var problems: [PolicyProblem] = []

    mutating func add(_ path: JSONPath, _ message: String) {
        problems.append(PolicyProblem(path: path.description, message: message))
    }

    var isEmpty: Bool { problems.isEmpty }
}
