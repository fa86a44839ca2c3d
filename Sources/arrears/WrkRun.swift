import Foundation

/// One route under `wrk`: the requests it cycles through (each with its tenant's key), run for
/// a while over keep-alive connections, with wrk's own latency percentiles read back.
struct WrkRoute: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var key: String
        var body: String?
    }

    var name: String
    var requests: [Request]
}

struct WrkFigures: Sendable {
    var requestsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var requests: Int
    var failed: Int
}

enum WrkRun {
    static func available() -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/wrk")
        }
    }

    static func run(_ route: WrkRoute, baseURL: String, seconds: Int, connections: Int, threads: Int, folder: URL) throws -> WrkFigures {
        let script = folder.appendingPathComponent("route.lua")
        try luaScript(route).write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "--latency", "-t\(threads)", "-c\(connections)", "-d\(seconds)s", "-s", script.path, baseURL]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Not waitUntilExit: it can hang on Linux off the main thread.
        while process.isRunning { usleep(10_000) }
        guard process.terminationStatus == 0 else { throw CommandFailure("wrk failed on \(route.name): \(text)") }
        return try figures(text, route: route.name)
    }

    /// wrk's summary: `Requests/sec:`, the latency distribution, and non-2xx or socket errors.
    static func figures(_ text: String, route: String) throws -> WrkFigures {
        func number(after label: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) })
            else { return nil }
            return line.split(separator: " ").dropFirst(label.split(separator: " ").count).first.flatMap(duration)
        }
        guard let rate = number(after: "Requests/sec:"), let p50 = number(after: "50%"), let p99 = number(after: "99%"),
              let total = text.firstMatch(of: /(\d+) requests in/).flatMap({ Int($0.1) })
        else { throw CommandFailure("cannot read wrk's figures for \(route): \(text)") }
        let non2xx = text.firstMatch(of: /Non-2xx or 3xx responses: (\d+)/).flatMap { Int($0.1) } ?? 0
        let socketErrors = text.firstMatch(of: /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
            .map { (Int($0.1) ?? 0) + (Int($0.2) ?? 0) + (Int($0.3) ?? 0) + (Int($0.4) ?? 0) } ?? 0
        return WrkFigures(requestsPerSecond: rate, p50Milliseconds: p50, p99Milliseconds: p99, requests: total,
                          failed: non2xx + socketErrors)
    }

    /// `812.00us`, `1.20ms`, `2.01s`, or a plain number, in milliseconds (plain numbers as they are).
    private static func duration(_ text: Substring) -> Double? {
        for (unit, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return Double(text.dropLast(unit.count)).map { $0 * scale }
        }
        return Double(text)
    }

    /// Each wrk connection steps through the requests from its own starting point.
    private static func luaScript(_ route: WrkRoute) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.unicodeScalars.map { scalar in
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                default: String(scalar)
                }
            }.joined() + "\""
        }
        let entries = route.requests.map { request in
            "  {\(quoted(request.method)), \(quoted(request.path)), \(quoted("Bearer " + request.key)), \(request.body.map(quoted) ?? "nil")},"
        }
        return """
            local entries = {
            \(entries.joined(separator: "\n"))
            }
            local counter = 0
            function setup(thread)
              counter = counter + 1
              thread:set("offset", counter * 7919)
            end
            local requests = {}
            local position = 0
            function init(args)
              for index, entry in ipairs(entries) do
                local headers = {["Authorization"] = entry[3]}
                if entry[4] then headers["Content-Type"] = "application/json" end
                requests[index] = wrk.format(entry[1], entry[2], headers, entry[4])
              end
              position = offset or 0
            end
            function request()
              position = position + 1
              return requests[position % #requests + 1]
            end

            """
    }
}
