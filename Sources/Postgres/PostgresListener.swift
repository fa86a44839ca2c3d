import CLibPQ
import Foundation
import Logging
import Synchronization

/// What a listener reports: a notification, or that it (re)connected — after which callers
/// should look for work themselves, since notifications sent while it was away are lost.
public enum PostgresListenerEvent: Sendable, Equatable {
    case connected
    case notification(channel: String, payload: String)
}

/// `LISTEN` on a dedicated connection and thread. The thread sleeps in `poll(2)` on the
/// connection's socket and a wake-up pipe, so it costs nothing while nothing happens, and it
/// reconnects by itself when the server goes away. It connects to the server directly
/// (`PostgresConfiguration.direct`): behind a transaction-mode pooler a `LISTEN` is never heard.
public final class PostgresListener: Sendable {
    public let events: AsyncStream<PostgresListenerEvent>
    private let continuation: AsyncStream<PostgresListenerEvent>.Continuation
    private let configuration: PostgresConfiguration
    private let channels: [String]
    private let logger: Logger
    private let stopped = Atomic(false)
    private let wakePipe: (read: Int32, write: Int32)

    public init(configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        self.configuration = configuration.direct
        self.channels = channels
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        var descriptors: [Int32] = [0, 0]
        precondition(pipe(&descriptors) == 0, "pipe(2) failed: \(errno)")
        wakePipe = (descriptors[0], descriptors[1])
        let thread = Thread { [self] in run() }
        thread.name = "arrears.postgres.listener"
        thread.start()
    }

    /// Ends the stream and closes the connection.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiring) else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
    }

    private func run() {
        var backoff = 0.05
        while !stopped.load(ordering: .acquiring) {
            do {
                let handle = try PostgresConnection.openHandle(configuration)
                defer { PQfinish(handle) }
                for channel in channels {
                    let result = PQexec(handle, "LISTEN \(quotedIdentifier(channel))")
                    let ok = result.map { PQresultStatus($0) == PGRES_COMMAND_OK } ?? false
                    if let result { PQclear(result) }
                    guard ok else { throw PostgresError.connection(String(cString: PQerrorMessage(handle))) }
                }
                backoff = 0.05
                continuation.yield(.connected)
                try pump(handle)
            } catch {
                guard !stopped.load(ordering: .acquiring) else { break }
                logger.warning("listener lost its connection, reconnecting", metadata: ["error": "\(error)"])
                sleepUnlessStopped(seconds: backoff)
                backoff = min(backoff * 2, 2)
            }
        }
        close(wakePipe.read)
        close(wakePipe.write)
        continuation.finish()
    }

    /// Delivers notifications until the connection fails or `stop()` is called.
    private func pump(_ handle: OpaquePointer) throws {
        let socket = PQsocket(handle)
        while !stopped.load(ordering: .acquiring) {
            var descriptors = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError.connection("poll failed: \(errno)")
            }
            if descriptors[1].revents != 0 { return }
            guard PQconsumeInput(handle) == 1 else {
                throw PostgresError.connection(String(cString: PQerrorMessage(handle)))
            }
            while let notification = PQnotifies(handle) {
                let channel = String(cString: notification.pointee.relname)
                let payload = String(cString: notification.pointee.extra)
                PQfreemem(notification)
                continuation.yield(.notification(channel: channel, payload: payload))
            }
            guard PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError.connection(String(cString: PQerrorMessage(handle)))
            }
        }
    }

    private func sleepUnlessStopped(seconds: Double) {
        var descriptor = pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, Int32(seconds * 1000))
    }
}

extension PostgresPool {
    /// Sends a notification; delivered when the surrounding transaction (if any) commits.
    public func notify(channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify(\(channel), \(payload))")
    }
}

extension PostgresConnection {
    public func notify(channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify(\(channel), \(payload))")
    }
}
