/// RFC 4180 CSV: fields separated by commas, optionally in double quotes (a doubled quote inside
/// is one quote; quoted fields may hold commas and line breaks), records ending in LF or CRLF.
struct CSVRecord: Sendable {
    /// The line the record starts on, counting from 1 at the header.
    var line: Int
    var fields: [String]
}

struct CSVSyntaxError: Error, Sendable {
    var line: Int
    var reason: String
}

enum CSVReader {
    /// Far above any column's own limit; a field this long is a broken file, not data.
    static let maximumFieldBytes = 65_536

    static func records(_ bytes: [UInt8]) throws(CSVSyntaxError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = bytes.startIndex
        // A UTF-8 byte order mark (spreadsheets write one) is not part of the first column's name.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        var inQuotes = false
        var fieldWasQuoted = false

        // Refused rather than decoded with replacement characters, which would import damaged names.
        func endField() throws(CSVSyntaxError) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw CSVSyntaxError(line: line, reason: "bytes that are not UTF-8; save the file as UTF-8 (CSV UTF-8 in spreadsheets)")
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws(CSVSyntaxError) {
            try endField()
            // A blank line carries no record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if field.count >= maximumFieldBytes {
                throw CSVSyntaxError(line: line, reason: "a field longer than \(maximumFieldBytes) bytes")
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try endField()
            case UInt8(ascii: "\n"):
                try endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\r"):
                guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\n") else {
                    throw CSVSyntaxError(line: line, reason: "a carriage return must be followed by a line feed")
                }
            case UInt8(ascii: "\""):
                guard field.isEmpty, !fieldWasQuoted else {
                    throw CSVSyntaxError(line: line, reason: "a quote inside an unquoted field; quote the whole field and double the quote")
                }
                inQuotes = true
                fieldWasQuoted = true
            default:
                if fieldWasQuoted {
                    throw CSVSyntaxError(line: line, reason: "text after a closing quote; a quoted field must end at a comma or line end")
                }
                field.append(byte)
            }
        }
        if inQuotes { throw CSVSyntaxError(line: recordLine, reason: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try endRecord() }
        return records
    }
}
