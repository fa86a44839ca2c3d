import AgentKit
import Curl
import Foundation
import Logging
import Postgres
import Queue
import TestSupport
import Testing

/// The real binary: `arrears serve`, and the admin helpers of the CLI.
@Suite struct ServeCommandTests {
    static let operatorKey = "serve-test-operator-key"

    /// Starts `arrears serve` on a free port against `database` and returns it with its base URL.
    static func serve(_ database: TestDatabase, environment: [String: String] = [:]) async throws -> (ChildProcess, String) {
        let child = try ChildProcess([ArrearsCommand.binary.path, "serve", "--port", "0", "--database-url", database.connectionString],
                                     environment: ["ARREARS_OPERATOR_KEY": operatorKey].merging(environment) { $1 })
        let line = try await child.waitForLine { $0.hasPrefix("arrears serve listening on ") }
        return (child, String(line.dropFirst("arrears serve listening on ".count)))
    }

    static func request(_ url: String, method: HTTPMethod = .get, key: String? = nil, json: String? = nil,
                        headers: [HTTPHeader] = []) async throws -> HTTPResponse {
        var all = headers
        if let key { all.append(HTTPHeader("Authorization", "Bearer \(key)")) }
        if json != nil { all.append(HTTPHeader("Content-Type", "application/json")) }
        return try await CurlClient.shared.perform(HTTPRequest(
            method: method, url: url, headers: all, body: Array((json ?? "").utf8), policy: .privateAddressesAllowed))
    }

    /// Runs a CLI command to its end; waiting happens on a thread of its own, off the cooperative pool.
    static func cli(_ database: TestDatabase, _ arguments: [String]) async throws -> ChildProcess {
        let child = try ChildProcess([ArrearsCommand.binary.path] + arguments + ["--database-url", database.connectionString])
        child.closeInput()
        _ = await child.exitStatus()
        return child
    }

    /// A line of the command's output; output is read on threads of its own, so it may trail the exit.
    static func line(_ child: ChildProcess, _ predicate: @escaping (String) -> Bool) async throws -> String {
        try await child.waitForLine(timeout: .seconds(10), predicate)
    }

    /// The first JSON log line of `child` that `predicate` accepts, waiting for it to be written.
    static func jsonLogLine(_ child: ChildProcess, _ predicate: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        func fields(_ line: String) -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        let line = try await child.waitForLine(timeout: .seconds(10)) { fields($0).map(predicate) ?? false }
        return fields(line)!
    }

    /// Posts a reply to the inbound webhook of tenant `acme`, authenticated with its admin key.
    static func postInbound(_ base: String, key: String, headers: [HTTPHeader] = []) async throws -> HTTPResponse {
        let mail = "From: ap@buyer.example\r\nTo: ar@acme.example\r\nSubject: Re: invoice\r\nMessage-ID: <r1@buyer.example>\r\n\r\nPaid.\r\n"
        return try await CurlClient.shared.perform(HTTPRequest(
            method: .post, url: "\(base)/v1/inbound/email?tenant=acme",
            headers: [HTTPHeader("Authorization", "Bearer \(key)"), HTTPHeader("Content-Type", "message/rfc822")] + headers,
            body: Array(mail.utf8), policy: .privateAddressesAllowed))
    }

    @Test func serveAnswersHealthReadinessMetricsAndStopsOnSIGTERM() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let (child, base) = try await Self.serve(database)
        defer { child.stop() }

        #expect(try await Self.request("\(base)/healthz").status == 200)
        #expect(try await Self.request("\(base)/readyz").status == 200)
        let spec = try await Self.request("\(base)/openapi.yaml")
        #expect(String(decoding: spec.body, as: UTF8.self).contains("openapi: 3.1.0"))
        let traced = try await Self.request("\(base)/v1/customers", headers: [HTTPHeader("X-Request-ID", "trace-abc")])
        #expect(traced.status == 401)
        #expect(traced.header("X-Request-ID") == "trace-abc")
        let metrics = String(decoding: try await Self.request("\(base)/metrics").body, as: UTF8.self)
        #expect(metrics.contains("http_server_request_duration"))
        #expect(metrics.contains("/v1/customers"), "latency is recorded by route")

        child.signal(SIGTERM)
        #expect(await child.exitStatus() == 0)
    }

    @Test func jsonLogLinesKeepTheirMessageWhateverTheirMetadata() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let created = try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme"])
        let adminKey = String(try await Self.line(created) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count))
        let (child, base) = try await Self.serve(database, environment: ["ARREARS_LOG_FORMAT": "json", "ARREARS_SCHEDULER": "off"])
        defer { child.stop() }

        let posted = try await Self.postInbound(base, key: adminKey)
        #expect(posted.status == 202)
        let id = try #require((try JSONSerialization.jsonObject(with: Data(posted.body)) as? [String: Any])?["id"] as? Int)
        let line = try await Self.jsonLogLine(child) { $0["message_id"] as? String == String(id) }
        #expect(line["message"] as? String == "inbound message stored")
        #expect(line["level"] as? String == "info")
        #expect(line["logger"] as? String == "arrears.serve")
    }

    @Test func theRequestIDInTheResponseIsTheOneInTheRequestsLogLine() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let created = try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme"])
        let adminKey = String(try await Self.line(created) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count))
        let (child, base) = try await Self.serve(database, environment: ["ARREARS_LOG_FORMAT": "json", "ARREARS_SCHEDULER": "off"])
        defer { child.stop() }

        // Made by the server.
        let first = try await Self.postInbound(base, key: adminKey)
        let made = try #require(first.header("X-Request-ID"))
        #expect(made.count >= 16)
        let firstLine = try await Self.jsonLogLine(child) { $0["request_id"] as? String == made }
        #expect(firstLine["message"] as? String == "inbound message stored")

        // Sent by the client: echoed and logged as sent.
        let second = try await Self.postInbound(base, key: adminKey, headers: [HTTPHeader("X-Request-ID", "client-trace-42")])
        #expect(second.header("X-Request-ID") == "client-trace-42")
        let secondLine = try await Self.jsonLogLine(child) { $0["request_id"] as? String == "client-trace-42" }
        #expect(secondLine["message"] as? String == "inbound message already stored")

        // One that cannot go into a header or a log as it is gets a fresh id instead.
        let third = try await Self.postInbound(base, key: adminKey, headers: [HTTPHeader("X-Request-ID", "two words")])
        let replaced = try #require(third.header("X-Request-ID"))
        #expect(replaced != "two words" && replaced != made)
        _ = try await Self.jsonLogLine(child) { $0["request_id"] as? String == replaced }
        #expect(!child.errors.contains("two words"))
    }

    @Test func serveListensWhereTheEnvironmentSays() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        // Not the default 127.0.0.1 nor 8080: only ARREARS_HOST and ARREARS_PORT can put the server there.
        let host = "127.0.0.2"
        let port = try freePort(host: host)
        let child = try ChildProcess([ArrearsCommand.binary.path, "serve", "--database-url", database.connectionString],
                                     environment: ["ARREARS_HOST": host, "ARREARS_PORT": String(port), "ARREARS_SCHEDULER": "off"])
        defer { child.stop() }
        let line = try await child.waitForLine { $0.hasPrefix("arrears serve listening on ") }
        #expect(line == "arrears serve listening on http://\(host):\(port)")
        #expect(try await Self.request("http://\(host):\(port)/healthz").status == 200)
    }

    @Test func readinessFailsOnADatabaseThatIsNotMigrated() async throws {
        let database = try await TestDatabase.create(template: "template0")
        defer { Task { try? await database.drop() } }
        let (child, base) = try await Self.serve(database)
        defer { child.stop() }
        #expect(try await Self.request("\(base)/healthz").status == 200)
        #expect(try await Self.request("\(base)/readyz").status == 503)
    }

    @Test func tenantsAndKeysFromTheCommandLineWorkAgainstTheServer() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let created = try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme Finance", "--time-zone", "Europe/Berlin"])
        #expect(await created.exitStatus() == 0)
        let adminKey = try await Self.line(created) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count)
        _ = try await Self.line(try await Self.cli(database, ["tenant", "list"])) { $0.hasSuffix("acme\tactive\tAcme Finance") }

        let reader = try await Self.cli(database, ["key", "create", "--tenant", "acme", "--role", "read_only", "--name", "bi"])
        let readerKey = try await Self.line(reader) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count)
        let listed = try await Self.cli(database, ["key", "list", "--tenant", "acme"])
        _ = try await Self.line(listed) { $0.hasSuffix("read_only\tbi\tno") }
        #expect(!listed.output.contains(readerKey), "keys are never shown again")
        #expect(try await Self.cli(database, ["key", "revoke", String(readerKey)]).exitStatus() == 0)
        _ = try await Self.line(try await Self.cli(database, ["key", "list", "--tenant", "acme"])) { $0.hasSuffix("read_only\tbi\tyes") }
        #expect(try await Self.cli(database, ["tenant", "create", "acme", "--name", "Again"]).exitStatus() != 0)

        let (child, base) = try await Self.serve(database)
        defer { child.stop() }
        let customer = try await Self.request("\(base)/v1/customers", method: .post, key: String(adminKey),
                                              json: #"{"external_ref": "C-1", "name": "Buyer", "currency": "EUR"}"#)
        #expect(customer.status == 201)
        #expect(try await Self.request("\(base)/v1/customers", key: String(readerKey)).status == 401)
        let tenants = try await Self.request("\(base)/v1/tenants", key: Self.operatorKey)
        #expect(String(decoding: tenants.body, as: UTF8.self).contains("\"slug\":\"acme\""))

        #expect(try await Self.cli(database, ["tenant", "suspend", "acme"]).exitStatus() == 0)
        _ = try await Self.line(try await Self.cli(database, ["tenant", "list"])) { $0.hasSuffix("acme\tsuspended\tAcme Finance") }
    }

    @Test func secretsNeverAppearInTheLogsOrInResponses() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let password = "smtp-pw-Zq7xK2pL9", webhookSecret = "whsec_Vb8nM3cR6tY1uI4o", inboundSecret = "inbound_Hj5kL0pQ2wE7rT9y"
        let sink = try await SMTPSink(login: SMTPCredentials(username: "ar-login", password: password))
        defer { sink.stop() }
        let hooks = try await EchoServer()
        defer { hooks.stop() }
        // Random, so no log line can hold it by chance.
        let secretKey = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let created = try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme"])
        let adminKey = String(try await Self.line(created) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count))
        // Everyone at trace level, below debug: whatever either process can log, it logs here.
        let environment = ["ARREARS_SECRET_KEY": secretKey, "ARREARS_ALLOW_PRIVATE_URLS": "1"]
        let (child, base) = try await Self.serve(database, environment: environment.merging([
            "ARREARS_LOG_LEVEL": "trace", "ARREARS_LOG_FORMAT": "json", "ARREARS_SCHEDULER": "off",
        ]) { $1 })
        defer { child.stop() }

        var responses: [String] = []
        func body(_ response: HTTPResponse) -> String {
            let text = String(decoding: response.body, as: UTF8.self)
            responses.append(text + response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
            return text
        }
        #expect(body(try await Self.request("\(base)/v1/tenants", key: Self.operatorKey)).contains(#""slug":"acme""#))
        #expect(try await Self.request("\(base)/v1/tenants", key: Self.operatorKey + "x").status == 401)
        let saved = try await Self.request("\(base)/v1/settings", method: .patch, key: adminKey, json: """
            {"sender_email": "ar@acme.example", "smtp_url": "\(sink.url())", "smtp_security": "none", "smtp_username": "ar-login",
             "smtp_password": "\(password)", "webhook_url": "\(hooks.url("/record/owner"))", "webhook_secret": "\(webhookSecret)",
             "inbound_secret": "\(inboundSecret)"}
            """)
        #expect(saved.status == 200, "\(body(saved))")
        #expect(body(try await Self.request("\(base)/v1/settings", key: adminKey)).contains(#""inbound_secret_set":true"#))
        let refused = try await Self.request("\(base)/v1/settings", method: .patch, key: adminKey,
                                             json: #"{"webhook_secret": "\#(webhookSecret)", "webhook_url": "ftp://hooks.example.com/"}"#)
        #expect(refused.status == 422, "\(body(refused))")

        let customer = try await Self.request("\(base)/v1/customers", method: .post, key: adminKey, json: """
            {"external_ref": "C-1", "name": "Buyer", "currency": "EUR", "account_owner_email": "owner@acme.example"}
            """)
        #expect(customer.status == 201, "\(body(customer))")
        let customerID = try #require((try JSONSerialization.jsonObject(with: Data(customer.body)) as? [String: Any])?["id"] as? Int)
        let invoice = try await Self.request("\(base)/v1/invoices", method: .post, key: adminKey, json: """
            {"customer_id": \(customerID), "number": "INV-1", "issued_on": "2025-01-01", "due_on": "2025-01-31", "amount": 50000, "currency": "EUR"}
            """)
        #expect(invoice.status == 201, "\(body(invoice))")

        for secret in [inboundSecret, "inbound_wrong_guess_123456", adminKey] {
            let posted = try await Self.postInbound(base, key: secret)
            #expect([200, 202, 401].contains(posted.status), "\(body(posted))")
        }

        // A worker opens the sealed SMTP password and webhook secret to tell the account owner.
        let pool = PostgresPool(configuration: database.configuration(maxConnections: 2))
        defer { pool.close() }
        let tenantID = try await pool.query("SELECT id FROM tenants WHERE slug = 'acme'")[0].decode(Int64.self, at: 0)
        let queue = TaskQueue(pool: pool, logger: Logger(label: "test"))
        let task = try await queue.enqueue(NewTask(tenantID: tenantID, customerID: Int64(customerID), kind: "notify_owner",
                                                   payload: PostgresJSON(#"{"reasons": ["broken promise"]}"#)))
        let worker = try await WorkerProcess.start(database, ["--log-level", "trace"], environment: environment)
        defer { worker.child.stop() }
        try await eventually("the owner notice is done") {
            try await queue.task(tenantID: tenantID, id: task.id)?.state.isFinished ?? false
        }
        #expect(try await queue.task(tenantID: tenantID, id: task.id)?.state == .succeeded)
        #expect(try sink.messages().map(\.authUser) == ["ar-login"], "the worker logged in with the tenant's password")
        let hook = try #require(try await hooks.recorded("owner").first, "the worker posted the owner webhook")
        #expect(WebhookSignature.verify(hook.header(WebhookSignature.headerName) ?? "", body: hook.body, secret: Secret(webhookSecret)),
                "signed with the tenant's webhook secret")

        worker.child.signal(SIGTERM)
        #expect(await worker.child.exitStatus() == 0)
        child.signal(SIGTERM)
        #expect(await child.exitStatus() == 0)

        let serveLog = child.output + child.errors, workerLog = worker.child.output + worker.child.errors
        #expect(serveLog.contains("inbound message stored"), "the serve log was captured")
        #expect(workerLog.contains("worker ready"), "the worker log was captured")
        let secrets = [
            "SMTP password": password, "webhook secret": webhookSecret, "inbound secret": inboundSecret,
            "wrong inbound secret": "inbound_wrong_guess_123456", "API key": adminKey, "operator key": Self.operatorKey,
            "ARREARS_SECRET_KEY": secretKey,
        ]
        for (name, secret) in secrets {
            #expect(!serveLog.contains(secret), "the serve log shows the \(name)")
            #expect(!workerLog.contains(secret), "the worker log shows the \(name)")
            #expect(!responses.contains { $0.contains(secret) }, "a response shows the \(name)")
        }
        let stored = try await pool.query("SELECT t::text FROM tenant_settings t")[0].decode(String.self, at: 0)
        #expect(stored.contains("ar@acme.example"))
        #expect(![password, webhookSecret, inboundSecret].contains { stored.contains($0) }, "sealed in the database")
    }

    @Test func aJSONBodyIsCutOffAtItsLimitAndTheServerKeepsServing() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let created = try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme"])
        let adminKey = String(try await Self.line(created) { $0.hasPrefix("api key: ") }.dropFirst("api key: ".count))
        let (child, base) = try await Self.serve(database, environment: ["ARREARS_SCHEDULER": "off"])
        defer { child.stop() }
        func error(_ body: some Sequence<UInt8>) -> [String: Any] {
            let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            return object?["error"] as? [String: Any] ?? [:]
        }
        let megabyte = 1024 * 1024
        let json = Array(#"{"external_ref": "C-1", "currency": "EUR", "name": ""#.utf8)
            + Array(repeating: UInt8(ascii: "x"), count: 2 * megabyte) + Array(#""}"#.utf8)

        // Announced as 2 MB, sent a little past 1 MB: the answer comes without the rest.
        let port = try #require(Int(base.split(separator: ":").last!))
        let cut = try await PartialRequest.post(
            port: port, path: "/v1/customers",
            headers: ["Authorization": "Bearer \(adminKey)", "Content-Type": "application/json"],
            announced: json.count, body: Array(json.prefix(megabyte + 64 * 1024)))
        #expect(cut.hasPrefix("HTTP/1.1 413"), "\(cut.prefix(300))")
        let cutError = error(cut.components(separatedBy: "\r\n\r\n").dropFirst().joined().utf8)
        #expect(cutError["code"] as? String == "body_too_large")
        #expect((cutError["message"] as? String)?.contains("\(megabyte) bytes") == true, "\(cutError)")

        // Sent whole, as a client does.
        let whole = try await CurlClient.shared.perform(HTTPRequest(
            method: .post, url: "\(base)/v1/customers",
            headers: [HTTPHeader("Authorization", "Bearer \(adminKey)"), HTTPHeader("Content-Type", "application/json")],
            body: json, policy: .privateAddressesAllowed))
        #expect(whole.status == 413)
        #expect(error(whole.body)["code"] as? String == "body_too_large")

        // CSV uploads keep their larger limit: a 2 MB file is read and judged on what it says.
        let csv = Array("external_ref,name,currency\nC-1,\(String(repeating: "x", count: 2 * megabyte)),EUR\n".utf8)
        let upload = try await CurlClient.shared.perform(HTTPRequest(
            method: .post, url: "\(base)/v1/imports/customers",
            headers: [HTTPHeader("Authorization", "Bearer \(adminKey)"), HTTPHeader("Content-Type", "text/csv")],
            body: csv, policy: .privateAddressesAllowed))
        #expect(upload.status == 422)
        #expect(error(upload.body)["code"] as? String == "import_rejected")

        let customer = try await Self.request("\(base)/v1/customers", method: .post, key: adminKey,
                                              json: #"{"external_ref": "C-1", "name": "Buyer", "currency": "EUR"}"#)
        #expect(customer.status == 201, "the server still serves")
        #expect(try await Self.request("\(base)/healthz").status == 200)
    }

    static let badSlugs = ["Acme", "-acme", "a", "acme_co", "acme co", "acme\u{e4}", String(repeating: "a", count: 64), ""]

    @Test func aBadTenantSlugIsOneClearLine() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        for slug in Self.badSlugs {
            // After --, so that -acme reaches the command as a slug rather than as an unknown option.
            let result = try await Self.runToEnd(["tenant", "create", "--name", "Acme", "--database-url", database.connectionString, "--", slug])
            #expect(result.status == 1, "\(slug)")
            #expect(result.output.isEmpty)
            let lines = result.errors.split(separator: "\n")
            #expect(lines.count == 1, "\(slug): \(result.errors)")
            #expect(lines.first?.contains("is not a tenant slug; use 2 to 63 lower-case letters, digits and -") == true, "\(slug): \(result.errors)")
        }
        let badZone = try await Self.runToEnd(["tenant", "create", "acme", "--name", "Acme", "--time-zone", "Mars/Base",
                                               "--database-url", database.connectionString])
        #expect(badZone.status == 1)
        #expect(badZone.errors.split(separator: "\n").count == 1, "\(badZone.errors)")
        for slug in ["ab", "0-" + String(repeating: "z", count: 61)] {
            #expect(try await Self.runToEnd(["tenant", "create", slug, "--name", "Edge", "--database-url", database.connectionString]).status == 0, "\(slug)")
        }
        let listed = try await Self.runToEnd(["tenant", "list", "--database-url", database.connectionString])
        #expect(listed.output.split(separator: "\n").count == 3, "a header and the two good slugs: \(listed.output)")
    }

    /// A CLI command run to its end with all of its output, waited for on a thread of its own.
    static func runToEnd(_ arguments: [String]) async throws -> ArrearsCommand.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try ArrearsCommand.run(arguments) }) }.start()
        }
    }

    @Test func csvImportFromTheCommandLine() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        #expect(try await Self.cli(database, ["tenant", "create", "acme", "--name", "Acme"]).exitStatus() == 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("customers.csv")
        try "external_ref,name,currency,timezone,language,account_owner_email\nC-1,One,EUR,,,\nC-2,Two,JPY,Asia/Tokyo,ja,\n"
            .write(to: good, atomically: true, encoding: .utf8)
        let imported = try await Self.cli(database, ["import", "--tenant", "acme", "customers", good.path])
        #expect(await imported.exitStatus() == 0)
        _ = try await Self.line(imported) { $0.hasPrefix("imported") }
        #expect(imported.output == "imported 2 customers: 2 created, 0 updated, 0 unchanged\n", "no progress bar off a terminal")

        let bad = folder.appendingPathComponent("invoices.csv")
        try "customer_ref,number,issued_on,due_on,amount,currency\nC-1,A,2025-01-01,2025-01-31,10.001,EUR\nC-9,B,2025-01-01,2025-01-31,5,EUR\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let refused = try await Self.cli(database, ["import", "--tenant", "acme", "invoices", bad.path])
        #expect(await refused.exitStatus() == 1)
        _ = try await Self.line(refused) { $0.contains("line 2, column amount") }
        _ = try await Self.line(refused) { $0.contains("line 3, column customer_ref") }
    }
}
