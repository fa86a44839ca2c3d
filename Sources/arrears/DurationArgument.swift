import Foundation
import ArgumentParser

/// A duration on the command line: "30s", "500ms", "2m", "1h", or plain seconds ("1.5").
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration
    private let text: String

    init(_ duration: Duration, text: String) {
        self.duration = duration
        self.text = text
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        var number = trimmed
        var scale = 1.0
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let candidate = String(trimmed.dropLast(suffix.count))
            if Double(candidate) != nil {
                number = candidate
                scale = factor
                break
            }
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        self.init(.milliseconds(Int64((value * scale * 1000).rounded())), text: trimmed)
    }

    var description: String { text }
    var defaultValueDescription: String { text }
}
