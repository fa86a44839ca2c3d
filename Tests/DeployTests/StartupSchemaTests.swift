import Foundation
import Postgres
import TestSupport
import Testing

/// Rolling deploys: what `serve` and `worker` do at start against a schema that is newer or older
/// than the binary, and what a running replica does when a newer release migrates under it.
@Suite struct StartupSchemaTests {
    @Test(arguments: [["serve", "--port", "0"], ["worker"]])
    func aReplicaRefusesToStartAgainstANewerSchema(command: [String]) async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        try await recordFutureMigration(database)

        let child = try await arrears(command + ["--database-url", database.connectionString],
                                      environment: ["ARREARS_OPERATOR_KEY": Replica.operatorKey])
        #expect(await child.exitStatus() == 1)
        let refusal = try await child.waitForLine(timeout: .seconds(10)) { $0.contains("cannot start") }
        #expect(refusal.contains("arrears \(command[0]) cannot start: the database schema is newer than this binary"))
        #expect(refusal.contains("9999_from_a_newer_release.sql"))
        #expect(child.lines.filter { $0.contains("9999_from_a_newer_release.sql") }.count == 1, "one line says it")
        #expect(!child.lines.contains { $0.contains("listening on") || $0.contains("worker ready") })
    }

    @Test func aRunningReplicaStaysReadyWhenANewerReleaseMigratesButARestartedOneIsRefused() async throws {
        let database = try await TestDatabase.create()
        defer { Task { try? await database.drop() } }
        let running = try await Replica.serve(database)
        defer { running.child.stop() }
        #expect(try await request("\(running.base)/readyz").status == 200)

        try await recordFutureMigration(database)
        #expect(try await request("\(running.base)/readyz").status == 200, "still in rotation during the rollout")

        let restarted = try await arrears(["serve", "--port", "0", "--database-url", database.connectionString],
                                          environment: ["ARREARS_OPERATOR_KEY": Replica.operatorKey])
        #expect(await restarted.exitStatus() == 1)
    }

    @Test func aWorkerWaitsForMigrateBeforeItClaims() async throws {
        let database = try await TestDatabase.create(template: "template0")
        defer { Task { try? await database.drop() } }
        let worker = try ChildProcess([ArrearsCommand.binary.path, "worker", "--database-url", database.connectionString])
        defer { worker.stop() }
        _ = try await worker.waitForLine(timeout: .seconds(30)) { $0.contains("waiting for `arrears migrate`") }
        #expect(!worker.lines.contains { $0.contains("worker ready") })

        let migrate = try await arrears(["migrate", "--database-url", database.connectionString])
        #expect(await migrate.exitStatus() == 0)
        _ = try await worker.waitForLine(timeout: .seconds(30)) { $0.contains("worker ready") }
    }
}
