import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The admin API as a service of `arrears serve`'s service group.
public enum AdminServer {
    /// An HTTP server for `api` on host:port (port 0 picks a free one); `onListening` gets the
    /// address actually bound.
    public static func service(
        _ api: AdminAPI, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }
    ) -> any Service {
        Application(
            router: api.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                onListening(host, channel.localAddress?.port ?? port)
            },
            logger: logger)
    }
}
