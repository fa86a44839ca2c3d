import HTTPTypes
import Coordinator
import Foundation
import Logging
import Migrations
import Postgres
import SchemaFiles
import Store
import Testing

/// The routes are hand-written, so these tests hold them to Schema/openapi.yaml: the spec and
/// the router list the same operations, and every operation of the spec reaches a handler.
@Suite struct SpecConformanceTests {
    /// Operations as the spec lists them: path keys two spaces in under `paths:`, methods four.
    static func specOperations() throws -> [String] {
        let yaml = String(decoding: try #require(SchemaFiles.contents(of: "openapi.yaml")), as: UTF8.self)
        var operations: [String] = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "patch", "delete"].contains(method) {
                    operations.append("\(method.uppercased()) \(path)")
                }
            }
        }
        return operations.sorted()
    }

    static func routerOperations() throws -> [String] {
        // The pool is never used: listing routes touches no database.
        let pool = PostgresPool(configuration: PostgresConfiguration(connectionString: "host=/nonexistent"))
        let api = AdminAPI(store: Store(pool: pool), configuration: AdminAPIConfiguration(), migrations: [],
                           logger: Logger(label: "test"))
        return api.routes.map { "\($0.method) \($0.path)" }.sorted()
    }

    @Test func theSpecAndTheRouterListTheSameOperations() throws {
        let spec = try Self.specOperations()
        let routes = try Self.routerOperations()
        #expect(spec.count >= 50)
        #expect(Set(spec).subtracting(routes).sorted() == [], "in the spec but not routed")
        #expect(Set(routes).subtracting(spec).sorted() == [], "routed but not in the spec")
        #expect(spec.count == Set(spec).count)
    }

    @Test func everyOperationOfTheSpecReachesAHandler() async throws {
        let operations = try Self.specOperations()
        try await withAPI { client, fixture in
            for operation in operations {
                let parts = operation.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(rawValue: String(parts[0]))!
                // Sample values for path parameters: ids that exist nowhere, a real import kind.
                let path = String(parts[1])
                    .replacingOccurrences(of: "{kind}", with: "customers")
                    .replacingOccurrences(of: "{email}", with: "someone@example.com")
                    .replacing(#/\{[a-z_]+\}/#, with: "987654")
                let key = path.hasPrefix("/v1/tenants") ? APIFixture.operatorKey : fixture.firstAdmin
                let reply = try await client.send(method, path, key: key, json: method == .get || method == .delete ? nil : "{}")
                #expect(reply.status != 405, "\(operation) is not routed: \(reply.text)")
                #expect(!(reply.status == 404 && reply.text.contains("no such endpoint")), "\(operation) is not routed")
                #expect(reply.status < 500, "\(operation) failed: \(reply.text)")
            }
        }
    }

    @Test func anUnknownMethodOnAKnownPathIs405WithAllow() async throws {
        try await withAPI { client, fixture in
            let reply = try await client.send(.delete, "/v1/customers/1", key: fixture.firstAdmin)
            #expect(reply.status == 405)
            #expect(reply.headers[.allow] == "GET, PATCH")
            #expect(reply.errorCode == "method_not_allowed")
            let unknown = try await client.get("/v1/nothing-here", key: fixture.firstAdmin)
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "not_found")
        }
    }

    @Test func theSpecIsServed() async throws {
        try await withAPI { client, _ in
            let reply = try await client.get("/openapi.yaml", key: nil)
            #expect(reply.status == 200)
            #expect(reply.text.hasPrefix("# The admin API contract"))
            #expect(reply.text.contains("openapi: 3.1.0"))
        }
    }
}
