import Dunning

/// A CSV file checked against its kind's header, with a problem list that rows add to.
struct ImportTable {
    let kind: ImportKind
    let records: [CSVRecord]
    private let positions: [String: Int]
    var problems: [ImportProblem] = []

    /// Reads the header; a missing or unknown column is a problem of line 1.
    init(kind: ImportKind, bytes: [UInt8]) throws(ImportRejected) {
        self.kind = kind
        let all: [CSVRecord]
        do {
            all = try CSVReader.records(bytes)
        } catch {
            throw ImportRejected(problems: [ImportProblem(line: error.line, column: nil, reason: error.reason)])
        }
        guard let header = all.first else {
            throw ImportRejected(problems: [ImportProblem(
                line: 1, column: nil, reason: "the file is empty; the first line must name the columns: \(kind.columns.joined(separator: ","))")])
        }
        var positions: [String: Int] = [:]
        var problems: [ImportProblem] = []
        for (index, name) in header.fields.enumerated() {
            let name = name.trimmingSpaces
            if !kind.columns.contains(name) {
                problems.append(ImportProblem(line: 1, column: name, reason: "unknown column; expected \(kind.columns.joined(separator: ","))"))
            } else if positions[name] != nil {
                problems.append(ImportProblem(line: 1, column: name, reason: "the column appears twice"))
            } else {
                positions[name] = index
            }
        }
        for column in kind.columns where positions[column] == nil && !kind.optionalColumns.contains(column) {
            problems.append(ImportProblem(line: 1, column: column, reason: "missing column"))
        }
        if !problems.isEmpty { throw ImportRejected(problems: problems) }
        self.positions = positions
        // A record of another width is one problem of its own; its fields cannot be trusted.
        var records: [CSVRecord] = []
        records.reserveCapacity(all.count)
        for record in all.dropFirst() {
            if record.fields.count == header.fields.count {
                records.append(record)
            } else {
                self.problems.append(ImportProblem(
                    line: record.line, column: nil, reason: "has \(record.fields.count) fields, the header has \(header.fields.count)"))
            }
        }
        self.records = records
    }

    /// The trimmed value of `column`, "" when blank or when the optional column is absent.
    func value(_ record: CSVRecord, _ column: String) -> String {
        guard let position = positions[column] else { return "" }
        return record.fields[position].trimmingSpaces
    }


    mutating func problem(_ record: CSVRecord, _ column: String?, _ reason: String) {
        problems.append(ImportProblem(line: record.line, column: column, reason: reason))
    }

    /// A required text value, checked by `rule`; nil (with a problem noted) when it fails.
    mutating func required(_ record: CSVRecord, _ column: String, _ rule: (String) -> String?) -> String? {
        let text = value(record, column)
        if text.isEmpty {
            problem(record, column, "is required")
            return nil
        }
        if let reason = rule(text) {
            problem(record, column, reason)
            return nil
        }
        return text
    }

    /// An optional text value: nil when blank, `.failure` (with a problem noted) when it fails `rule`.
    mutating func optional(_ record: CSVRecord, _ column: String, _ rule: (String) -> String?) -> String?? {
        let text = value(record, column)
        if text.isEmpty { return .some(nil) }
        if let reason = rule(text) {
            problem(record, column, reason)
            return nil
        }
        return .some(text)
    }

    mutating func date(_ record: CSVRecord, _ column: String) -> CalendarDate? {
        let text = value(record, column)
        guard !text.isEmpty else {
            problem(record, column, "is required")
            return nil
        }
        guard let date = CalendarDate(text) else {
            problem(record, column, "\"\(text)\" is not a date; use YYYY-MM-DD, like 2025-03-14")
            return nil
        }
        return date
    }

    mutating func amount(_ record: CSVRecord, _ column: String, currency: String?, allowZero: Bool) -> Int64? {
        let text = value(record, column)
        guard !text.isEmpty else {
            problem(record, column, "is required")
            return nil
        }
        guard let currency else { return nil }
        switch FieldRules.parseAmount(text, currency: currency, allowZero: allowZero) {
        case .success(let minorUnits): return minorUnits
        case .failure(let failure):
            problem(record, column, failure.reason)
            return nil
        }
    }

    /// Notes a natural key seen twice in the file; the database could not apply both.
    mutating func unique(_ record: CSVRecord, _ column: String, key: String, seen: inout [String: Int]) {
        if let first = seen[key] {
            problem(record, column, "\"\(value(record, column))\" appears twice in the file (first on line \(first))")
        } else {
            seen[key] = record.line
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
