import Foundation

/// A real `arrears worker` process on a test database, logging JSON.
public struct WorkerProcess: Sendable {
    public let child: ChildProcess

    public static func start(_ database: TestDatabase, _ arguments: [String] = [],
                             environment: [String: String] = [:]) async throws -> WorkerProcess {
        let child = try ChildProcess([
            ArrearsCommand.binary.path, "worker", "--database-url", database.connectionString, "--log-format", "json",
            "--poll-interval", "200ms", "--pool-size", "4",
        ] + arguments, environment: environment)
        _ = try await child.waitForLine(timeout: .seconds(60)) { $0.contains(#""message":"worker ready""#) }
        return WorkerProcess(child: child)
    }

    /// The worker's id, as it appears in leases and history.
    public var id: String {
        get throws {
            guard let line = child.lines.first(where: { $0.contains(#""message":"worker ready""#) }),
                  let fields = Self.fields(line), let id = fields["worker"] as? String
            else { throw ChildProcessError("no worker id in the output") }
            return id
        }
    }

    /// Log lines with the given message, as JSON objects.
    public func logs(_ message: String) -> [[String: Any]] {
        child.lines.filter { $0.contains(#""message":"\#(message)""#) }.compactMap(Self.fields)
    }

    private static func fields(_ line: String) -> [String: Any]? {
        guard let start = line.firstIndex(of: "{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line[start...].utf8))) as? [String: Any]
    }
}
