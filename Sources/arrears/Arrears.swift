import ArgumentParser

struct Arrears: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arrears",
        abstract: "Automated collections (dunning) for B2B accounts receivable, for many finance teams at once.",
        discussion: """
            Configuration comes from environment variables (DATABASE_URL, ARREARS_…); flags override them.
            Without DATABASE_URL, arrears starts a private PostgreSQL cluster under .arrears/ and stops it on exit.
            """,
        version: ArrearsVersion.current,
        subcommands: [
            MigrateCommand.self, ServeCommand.self, WorkerCommand.self, DemoCommand.self, PlanCommand.self, TriageCommand.self,
            ImportCommand.self, ReportCommand.self, TenantCommand.self, KeyCommand.self, BenchCommand.self, VersionCommand.self,
        ])
}

enum ArrearsVersion {
    static let current = "0.1.0"
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env ARREARS_LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "Log format: text or json (env ARREARS_LOG_FORMAT).")
    var logFormat: String?
}

protocol HasGlobalOptions {
    var global: GlobalOptions { get }
}
