import ArgumentParser
import Foundation
import Logging
import Observability

extension Observability {
    /// Sets up logging from flags, falling back to ARREARS_LOG_LEVEL / ARREARS_LOG_FORMAT.
    static func bootstrap(_ options: GlobalOptions?) {
        let environment = ProcessInfo.processInfo.environment
        let level = (options?.logLevel ?? environment["ARREARS_LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
        let format = (options?.logFormat ?? environment["ARREARS_LOG_FORMAT"]).flatMap(LogFormat.init(rawValue:)) ?? .text
        bootstrap(level: level, format: format)
    }
}
