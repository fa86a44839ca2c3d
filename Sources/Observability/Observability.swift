import Logging
import Metrics
import Prometheus

/// Logging and metrics for the whole process, set up once in `main`.
public enum Observability {
    /// Where every metric of the process lands; `/metrics` renders it.
    public static let registry = PrometheusCollectorRegistry()

    public enum LogFormat: String, Sendable {
        case text, json
    }

    public static func bootstrap(level: Logger.Level, format: LogFormat) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = switch format {
            case .text: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
        var factory = PrometheusMetricsFactory(registry: registry)
        // Task and HTTP timings range from a millisecond to a minute.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The Prometheus text exposition of every metric.
    public static func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
