import Foundation
import Mail
import Testing
import Triage

/// Damaged mail must never crash the parser or the classifier.
@Suite struct RobustnessTests {
    @Test func mutatedRepliesNeverCrash() throws {
        let directory = LabelledRepliesTests.fixtures.appendingPathComponent("replies")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let originals = try files.map { Array(try Data(contentsOf: directory.appendingPathComponent($0))) }
        var random = SplitMix(seed: 7)
        let classifier = TriageClassifier()
        let sentAt = Date(timeIntervalSince1970: 1_773_000_000)
        for round in 0..<250 {
            var bytes = originals[round % originals.count]
            for _ in 0..<(1 + Int(random.next() % 12)) where !bytes.isEmpty {
                let position = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + Int(random.next() % 40)))
                case 2: bytes.insert(contentsOf: Array("=?\r\n--=_\t>:<@".utf8).shuffled(using: &random), at: position)
                default: bytes = Array(bytes[..<position])
                }
            }
            if let message = try? ParsedMessage(parsing: bytes) {
                let result = classifier.classify(message, sentAt: message.date ?? sentAt)
                #expect((0...1).contains(result.confidence))
            }
            _ = classifier.classify(text: String(decoding: bytes, as: UTF8.self), sentAt: sentAt)
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
