import CLibPQ
import Foundation

/// A private PostgreSQL cluster in a folder of the caller's (`.arrears/` by default), for a new
/// user who has the packages but no server set up. It listens only on a Unix socket inside that
/// folder. Several `arrears` processes in one folder share the cluster: each holds a shared lock
/// while it uses it, and the last one to leave stops it. A process that dies holding the lock
/// releases it with its death, and the next one reuses the running server.
public final class LocalPostgresCluster: @unchecked Sendable {
    public let root: URL
    public let databaseName: String
    private var directory: URL { root.appendingPathComponent("postgres") }
    private var dataDirectory: URL { directory.appendingPathComponent("data") }
    private var logFile: URL { directory.appendingPathComponent("server.log") }
    private let socketDirectory: URL
    private let serverUser: ServerUser
    private var usersLock: FileLock?

    public init(root: URL, databaseName: String = "arrears") {
        self.root = root.standardizedFileURL
        self.databaseName = databaseName
        serverUser = ServerUser.current()
        // Unix socket paths are limited to 107 bytes; deep folders get a socket under /tmp.
        let preferred = self.root.appendingPathComponent("postgres")
        if preferred.path.utf8.count + 20 < 107 {
            socketDirectory = preferred
        } else {
            // FNV-1a: String.hashValue differs between processes, and they must agree.
            let digest = preferred.path.utf8.reduce(UInt64(14_695_981_039_346_656_037)) {
                ($0 ^ UInt64($1)) &* 1_099_511_628_211
            }
            socketDirectory = URL(fileURLWithPath: "/tmp/arrears-pg-\(String(digest, radix: 36))")
        }
    }

    /// libpq connection string for the cluster's database.
    public var connectionString: String { conninfo(database: databaseName) }

    private func conninfo(database: String) -> String {
        "host=\(socketDirectory.path) port=5432 user=postgres dbname=\(database)"
    }

    /// Creates the cluster on first use, starts it unless it already runs, creates the
    /// database, and registers this process as a user until `stop()`.
    public func start() throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let startLock = try FileLock(root.appendingPathComponent("cluster.lock"), exclusive: true)
        defer { startLock.release() }
        usersLock = try FileLock(root.appendingPathComponent("users.lock"), exclusive: false)

        if !isAccepting() {
            try prepareDirectories()
            let binaries = try PostgresBinaries.locate()
            if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
                try serverUser.run([binaries.initdb.path, "-D", dataDirectory.path, "-U", "postgres",
                                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            }
            try serverUser.run([binaries.pgCtl.path, "-D", dataDirectory.path, "-l", logFile.path,
                                "-o", serverOptions, "-w", "-t", "60", "start"])
        }
        try createDatabaseIfMissing()
    }

    /// Leaves the cluster; stops it when no other process uses it any more.
    public func stop() {
        guard let usersLock else { return }
        guard let startLock = try? FileLock(root.appendingPathComponent("cluster.lock"), exclusive: true) else { return }
        defer { startLock.release() }
        usersLock.release()
        self.usersLock = nil
        guard let lastUser = FileLock(tryExclusive: root.appendingPathComponent("users.lock")) else { return }
        defer { lastUser.release() }
        if let binaries = try? PostgresBinaries.locate() {
            _ = try? serverUser.run([binaries.pgCtl.path, "-D", dataDirectory.path, "-m", "fast", "-w", "stop"])
        }
    }

    /// Restarts the server (fast shutdown), for tests of recovery.
    public func restart() throws {
        let binaries = try PostgresBinaries.locate()
        try serverUser.run([binaries.pgCtl.path, "-D", dataDirectory.path, "-l", logFile.path,
                            "-o", serverOptions, "-m", "fast", "-w", "-t", "60", "restart"])
    }

    /// Only a Unix socket in our folder; room for many worker connections.
    private var serverOptions: String {
        "-k \(socketDirectory.path) -p 5432 -c listen_addresses='' -c max_connections=300"
            + " -c shared_buffers=256MB -c max_wal_size=2GB"
    }

    private func isAccepting() -> Bool {
        PQping(conninfo(database: "postgres")) == PQPING_OK
    }

    private func prepareDirectories() throws {
        for folder in Set([directory, socketDirectory]) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try serverUser.takeOwnership(of: folder)
        }
    }

    private func createDatabaseIfMissing() throws {
        guard let connection = PQconnectdb(conninfo(database: "postgres")) else {
            throw LocalPostgresError("could not allocate a connection")
        }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw LocalPostgresError("cannot connect to the local cluster: \(String(cString: PQerrorMessage(connection)))")
        }
        let exists = databaseName.withCString { name in
            var values: [UnsafePointer<CChar>?] = [name]
            let result = PQexecParams(connection, "SELECT 1 FROM pg_database WHERE datname = $1", 1, nil, &values, nil, nil, 0)
            defer { PQclear(result) }
            return PQntuples(result) > 0
        }
        guard !exists else { return }
        // CREATE DATABASE takes no parameters; the name is ours and quoted as an identifier.
        let quoted = "\"" + databaseName.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let created = PQexec(connection, "CREATE DATABASE \(quoted)")
        defer { PQclear(created) }
        let state = PQresultErrorField(created, ARREARS_PG_DIAG_SQLSTATE).map { String(cString: $0) }
        // 42P04: another process created it first.
        guard PQresultStatus(created) == PGRES_COMMAND_OK || state == "42P04" else {
            throw LocalPostgresError("cannot create database \(databaseName): \(String(cString: PQerrorMessage(connection)))")
        }
    }
}
