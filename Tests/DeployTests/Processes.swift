import Curl
import Foundation
import Postgres
import TestSupport

/// `arrears serve` as a replica of a deployment: its process, its base URL.
struct Replica: Sendable {
    static let operatorKey = "deploy-test-operator-key"

    let child: ChildProcess
    let base: String

    var pid: Int32 { child.pid }

    /// Starts `arrears serve` on a free port against `database`, with `arguments` added.
    static func serve(_ database: TestDatabase, _ arguments: [String] = []) async throws -> Replica {
        let child = try ChildProcess(
            [ArrearsCommand.binary.path, "serve", "--port", "0", "--database-url", database.connectionString] + arguments,
            environment: ["ARREARS_OPERATOR_KEY": operatorKey])
        let line = try await child.waitForLine { $0.hasPrefix("arrears serve listening on ") }
        return Replica(child: child, base: String(line.dropFirst("arrears serve listening on ".count)))
    }
}

/// Runs an `arrears` command to its end; waiting happens on a thread of its own, off the cooperative pool.
func arrears(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess {
    let child = try ChildProcess([ArrearsCommand.binary.path] + arguments, environment: environment)
    child.closeInput()
    _ = await child.exitStatus()
    return child
}

func request(_ url: String, key: String? = nil) async throws -> HTTPResponse {
    try await CurlClient.shared.perform(HTTPRequest(
        method: .get, url: url, headers: key.map { [HTTPHeader("Authorization", "Bearer \($0)")] } ?? [],
        policy: .privateAddressesAllowed))
}

func text(_ response: HTTPResponse) -> String {
    String(decoding: response.body, as: UTF8.self)
}

/// Polls `probe` every 100 ms until it gives a value or `timeout` passes.
func eventually<Value: Sendable>(
    within timeout: Duration, _ what: String, _ probe: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        guard ContinuousClock.now < deadline else { throw ChildProcessError("not within \(timeout): \(what)") }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// Marks the database as migrated by a newer release than the binary under test.
func recordFutureMigration(_ database: TestDatabase) async throws {
    let connection = try await PostgresConnection.connect(database.configuration())
    try await connection.query(
        "INSERT INTO schema_migrations (version, file_name, checksum) VALUES (9999, '9999_from_a_newer_release.sql', 'x')")
}
