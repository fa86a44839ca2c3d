import ArgumentParser
import Migrations

struct VersionCommand: ParsableCommand, HasGlobalOptions {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and the schema it expects.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let latest = try Migration.embedded().last
        print("arrears \(ArrearsVersion.current) (schema \(latest?.fileName ?? "none"))")
    }
}
