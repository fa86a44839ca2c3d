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
    /// The server's own folder (data, log, usually the socket): `postgres` under the root, or,
    /// when the server user cannot reach the root (a clone under root's 0700 home), a folder of
    /// that user's home named after the root.
    public let serverFolder: URL
    private var dataDirectory: URL { serverFolder.appendingPathComponent("data") }
    private var logFile: URL { serverFolder.appendingPathComponent("server.log") }
    private let socketDirectory: URL
    private let serverUser: ServerUser
    private var usersLock: FileLock?

    public init(root: URL, databaseName: String = "arrears") {
        self.root = root.standardizedFileURL
        self.databaseName = databaseName
        serverUser = ServerUser.current()
        let preferred = self.root.appendingPathComponent("postgres")
        if !serverUser.canReach(self.root), let home = serverUser.home {
            serverFolder = home.appendingPathComponent("arrears").appendingPathComponent(Self.digest(preferred.path))
        } else {
            serverFolder = preferred
        }
        // Unix socket paths are limited to 107 bytes; deep folders get a socket under /tmp.
        if serverFolder.path.utf8.count + 20 < 107 {
            socketDirectory = serverFolder
        } else {
            socketDirectory = URL(fileURLWithPath: "/tmp/arrears-pg-\(Self.digest(serverFolder.path))")
        }
    }

    /// FNV-1a in base 36: String.hashValue differs between processes, and they must agree.
    private static func digest(_ path: String) -> String {
        String(path.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 36)
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
        for folder in Set([serverFolder, socketDirectory]) {
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
