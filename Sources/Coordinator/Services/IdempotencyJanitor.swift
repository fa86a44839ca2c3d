import Logging
import ServiceLifecycle
import Store

/// Deletes Idempotency-Keys older than a day, every `interval`, until shutdown.
public struct IdempotencyJanitor: Service {
    let store: Store
    let interval: Duration
    let logger: Logger

    public init(store: Store, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        let removed = try await store.expireIdempotencyKeys()
                        if removed > 0 { logger.info("expired idempotency keys", metadata: ["count": "\(removed)"]) }
                    } catch {
                        logger.warning("could not expire idempotency keys", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
