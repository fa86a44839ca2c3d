import Crypto
import Dunning
import Foundation

/// The demo's coordinator and two workers: the same binary, on the demo database and the simulated
/// clock, with mail servers on loopback allowed (the demo's sink is one).
struct DemoProcesses {
    let group: ProcessGroup
    let coordinatorURL: String

    static func start(databaseURL: String, clock: AcceleratedTimeSource, port: Int) async throws -> DemoProcesses {
        let common = ["--database-url", databaseURL, "--clock", ClockOptions.text(clock), "--log-format", "json"]
        let environment = [
            "ARREARS_OPERATOR_KEY": randomKey(), "ARREARS_SECRET_KEY": randomKey(), "ARREARS_ALLOW_PRIVATE_URLS": "1",
        ]
        let coordinator = try SpawnedProcess(
            arguments: ["serve", "--port", String(port), "--rate-limit", "0", "--scheduler-poll-interval", "200ms",
                        "--log-level", "warning"] + common,
            prefix: "[serve] ", quiet: true, environment: environment)
        let workers = try (1...2).map { number in
            try SpawnedProcess(arguments: ["worker", "--poll-interval", "250ms", "--concurrency", "8", "--retry-base", "2s",
                                           "--pool-size", "6"] + common,
                               prefix: "[worker \(number)] ", quiet: true, environment: environment)
        }
        let group = ProcessGroup([coordinator] + workers)
        do {
            let line = try await coordinator.waitForLine(containing: "arrears serve listening on ", timeout: .seconds(60))
            for worker in workers { try await worker.waitForLine(containing: "worker ready", timeout: .seconds(60)) }
            let url = line.components(separatedBy: "listening on ").last ?? ""
            return DemoProcesses(group: group, coordinatorURL: url.trimmingCharacters(in: .whitespaces))
        } catch {
            await group.stop()
            throw error
        }
    }

    func stop() async {
        await group.stop()
    }

    func waitForInterrupt() async {
        await group.waitForInterrupt()
        await group.stop()
    }

    private static func randomKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}
