import ArgumentParser
import Foundation
import Observability

// Parse first so logging is set up once, from the chosen command's options, before any logger
// exists; then run the command.
do {
    var command = try await Arrears.asyncParseAsRoot()
    Observability.bootstrap((command as? any HasGlobalOptions)?.global)
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsync(&asyncCommand)
    } else {
        try command.run()
    }
} catch {
    Arrears.exit(withError: error)
}

/// Opening the existential makes `run()` resolve to the async requirement, not the inherited
/// synchronous one.
func runAsync<Command: AsyncParsableCommand>(_ command: inout Command) async throws {
    try await command.run()
}
