import ArgumentParser
import Foundation
import Logging
import Observability
import ServiceLifecycle

/// `/metrics` and `/healthz` for a process without an API of its own. Off unless a port is
/// given: several workers on one machine would otherwise all want the same one.
struct MetricsEndpointOptions: ParsableArguments {
    @Option(help: "Serve /metrics and /healthz on this port; 0 picks a free one (env ARREARS_METRICS_PORT; default off).")
    var metricsPort: Int?

    @Option(help: "Address the metrics endpoint listens on (env ARREARS_METRICS_HOST, default 127.0.0.1).")
    var metricsHost: String?

    /// The endpoint as a service, or nil when it is off.
    func service(logger: Logger) throws -> (any Service)? {
        let environment = ProcessInfo.processInfo.environment
        let port = try metricsPort ?? environment["ARREARS_METRICS_PORT"].flatMap { $0.isEmpty ? nil : $0 }.map {
            guard let port = Int($0) else { throw ValidationError("ARREARS_METRICS_PORT must be a number") }
            return port
        }
        guard let port else { return nil }
        guard (0...65535).contains(port) else { throw ValidationError("the metrics port must be from 0 to 65535") }
        let host = metricsHost ?? environment["ARREARS_METRICS_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        return MetricsServer.service(host: host, port: port, logger: logger) { host, port in
            // Written straight to the descriptor so scripts and tests see it at once, unbuffered.
            FileHandle.standardOutput.write(Data("arrears worker metrics on http://\(host):\(port)\n".utf8))
        }
    }
}
