import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A small HTTP server for processes without an API of their own (`arrears worker`): `/metrics`
/// for Prometheus and `/healthz` for liveness probes, as a service beside the process's work.
public enum MetricsServer {
    /// Listens on host:port (port 0 picks a free one); `onListening` gets the address bound.
    public static func service(
        host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (_ host: String, _ port: Int) -> Void = { _, _ in }
    ) -> any Service {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Observability.render())))
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in onListening(host, channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
