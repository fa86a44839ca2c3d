import ArgumentParser
import Foundation

/// A user mistake reported as one line on standard error ("error: …") with exit status 1, without
/// the usage text argument-parser adds to its own validation errors.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
