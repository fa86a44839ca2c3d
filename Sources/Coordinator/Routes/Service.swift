import Foundation
import Hummingbird
import Migrations
import Observability
import SchemaFiles

extension AdminAPI {
    var serviceEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/healthz", .open) { _ in
                .json { $0.object { $0.field("status", "ok") } }
            },
            // Ready while every migration this binary knows is applied; a newer release's additive
            // migrations, applied while this replica still serves, do not take it out of rotation.
            Endpoint(.get, "/readyz", .open) { call in
                do {
                    try await Migrator(pool: store.pool, logger: logger).verifyServable(migrations)
                    return .json { $0.object { $0.field("status", "ready") } }
                } catch {
                    call.context.logger.warning("not ready", metadata: ["error": "\(error)"])
                    return APIError(.serviceUnavailable, "not_ready", "the database is unreachable or its schema is not current: \(error)").response
                }
            },
            Endpoint(.get, "/metrics", .open) { _ in
                APIResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Observability.render())
            },
            Endpoint(.get, "/openapi.yaml", .open) { _ in
                APIResponse(status: .ok, contentType: "application/yaml", body: Array(SchemaFiles.contents(of: "openapi.yaml") ?? Data()))
            },
        ]
    }
}
