import Foundation

/// Message-IDs. Throughout this module ids are written without angle brackets
/// ("4f1c…@mail.acme.example"); headers add them.
public enum MessageID {
    /// A Message-ID that depends only on (task, step, domain), so a retried send of the same step
    /// carries the same id and the receiving side, and our own records, can tell it is a repeat.
    /// The left part is a hash, so ids reveal nothing about internal task ids.
    public static func deterministic(taskID: String, step: String, domain: String) -> String {
        // Length-prefixing keeps ("ab", "c") and ("a", "bc") apart.
        let key = "arrears-message-id\u{0}\(taskID.utf8.count):\(taskID)\u{0}\(step.utf8.count):\(step)"
        let digest = SHA256.hash(Array(key.utf8))
        return SHA256.hex(digest.prefix(16)) + "@" + domain.lowercased()
    }

    /// Extracts the ids from an In-Reply-To, References or Message-ID value, in order, without
    /// brackets. Comments and stray words are ignored; a value without brackets falls back to its
    /// words that contain "@".
    public static func parseList(_ value: String) -> [String] {
        var ids: [String] = []
        var depth = 0
        var current: String?
        for character in value {
            switch character {
            case "(" where current == nil: depth += 1
            case ")" where current == nil: depth = max(0, depth - 1)
            case "<" where depth == 0: current = ""
            case ">" where depth == 0:
                if let id = current?.filter({ !$0.isWhitespace }), !id.isEmpty { ids.append(id) }
                current = nil
            default:
                if depth == 0, current != nil { current?.append(character) }
            }
        }
        if ids.isEmpty {
            ids = value.split(whereSeparator: { $0.isWhitespace || $0 == "," })
                .filter { $0.contains("@") }
                .map { String($0.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))) }
        }
        return ids
    }
}
