import CLibPQ
import Dispatch
import Foundation

/// One libpq connection. libpq blocks the calling thread, so every call runs on this
/// connection's own serial dispatch queue, never on Swift's cooperative thread pool: a slow
/// query then parks one dispatch thread instead of starving the HTTP server's tasks.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let queue: DispatchQueue
    private let usePreparedStatements: Bool
    /// Touched only on `queue`.
    private var preparedStatements: [PreparedKey: String] = [:]
    private var closed = false

    private struct PreparedKey: Hashable {
        var sql: String
        var oids: [UInt32]
    }

    private static let preparedStatementLimit = 512

    private init(handle: OpaquePointer, queue: DispatchQueue, usePreparedStatements: Bool) {
        self.handle = handle
        self.queue = queue
        self.usePreparedStatements = usePreparedStatements
    }

    deinit {
        if !closed { PQfinish(handle) }
    }

    public static func connect(_ configuration: PostgresConfiguration) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "arrears.postgres.connection")
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    PostgresConnection(handle: try openHandle(configuration), queue: queue,
                                       usePreparedStatements: configuration.usePreparedStatements)
                })
            }
        }
    }

    /// Opens a blocking libpq connection on the current thread.
    static func openHandle(_ configuration: PostgresConfiguration) throws -> OpaquePointer {
        // expand_dbname lets the "dbname" slot carry a whole URL or conninfo string. libpq applies
        // the entries in order, a later one winning: the fallbacks before that string give way to
        // it, and the entries after it override it.
        let fallbacks = configuration.fallbackParameters.sorted { $0.key < $1.key }
        let keywords = fallbacks.map(\.key) + ["dbname", "application_name", "client_encoding", "connect_timeout"]
        let values = fallbacks.map(\.value) + [configuration.connectionString, configuration.applicationName, "UTF8",
                                               String(configuration.connectTimeoutSeconds)]
        let handle = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle else { throw PostgresError.connection("libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw PostgresError.connection(message)
        }
        // libpq prints server NOTICEs to stderr by default; they are not errors and would
        // corrupt a command's output, so they are dropped.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return handle
    }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await onQueue { try self.execute(query) }
    }

    /// Runs SQL text with no parameters, possibly several statements (migrations, BEGIN/COMMIT).
    public func simpleQuery(_ sql: String) async throws {
        try await onQueue {
            guard let result = PQexec(self.handle, sql) else { throw self.connectionError() }
            _ = try self.check(result)
        }
    }

    /// Opens a transaction as `role` for `tenantID` in one round trip: BEGIN and the two settings
    /// travel together in a libpq pipeline, the settings as bound parameters. Requests are short,
    /// so round trips are most of what they cost.
    func beginTenantTransaction(tenantID: Int64, role: String) async throws {
        try await onQueue { try self.pipelined(["BEGIN", "SELECT set_config('role', $1, true), set_config('app.tenant_id', $2, true)"],
                                               parameters: [[], [role.postgresBind, String(tenantID).postgresBind]]) }
    }

    /// Whether the connection can be handed out again: connected, not inside a transaction,
    /// and the server has not hung up on it while it sat idle.
    var isReusable: Bool {
        guard !closed, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) == PQTRANS_IDLE else {
            return false
        }
        // An idle pool connection is sent nothing unless the server is hanging up on it (a
        // restart sends a FATAL message, then EOF), so anything to read means: do not reuse.
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    var isIdle: Bool {
        PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    var isInFailedTransaction: Bool {
        PQtransactionStatus(handle) == PQTRANS_INERROR
    }

    func close() {
        queue.async {
            guard !self.closed else { return }
            self.closed = true
            PQfinish(self.handle)
        }
    }

    // MARK: - On the connection's queue

    private func onQueue<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    private func execute(_ query: PostgresQuery) throws -> PostgresRows {
        guard !closed else { throw PostgresError.connection("connection is closed") }
        if !usePreparedStatements {
            return try withParameters(query.binds) { count, types, values, lengths, formats in
                try check(PQexecParams(handle, query.sql, count, types, values, lengths, formats, 1))
            }
        }
        do {
            return try executePrepared(query)
        } catch let error as PostgresError where error.sqlState == "26000" || error.sqlState == "0A000" {
            // The server forgot the statement (DISCARD ALL by a pooler) or its plan went stale
            // after a migration: prepare again once.
            preparedStatements.removeAll()
            _ = PQexec(handle, "DEALLOCATE ALL").map(PQclear)
            return try executePrepared(query)
        }
    }

    /// Sends statements in one pipeline and reads every result; throws the first error after
    /// the pipeline is drained, so the connection is usable again.
    private func pipelined(_ statements: [String], parameters: [[PostgresBind]]) throws {
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        var firstError: (any Error)?
        for (sql, binds) in zip(statements, parameters) {
            let sent = withParameters(binds) { count, types, values, lengths, formats in
                PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 1)
            }
            if sent != 1 { firstError = firstError ?? connectionError() }
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError() }
        for _ in statements {
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    continue
                }
                do { _ = try check(result) } catch { firstError = firstError ?? error }
            }
        }
        // The pipeline's end marker, then back to ordinary mode.
        while let result = PQgetResult(handle) {
            let isSync = PQresultStatus(result) == PGRES_PIPELINE_SYNC
            PQclear(result)
            if isSync { break }
        }
        guard PQexitPipelineMode(handle) == 1 else { throw connectionError() }
        if let firstError { throw firstError }
    }

    private func executePrepared(_ query: PostgresQuery) throws -> PostgresRows {
        let key = PreparedKey(sql: query.sql, oids: query.binds.map(\.oid))
        let name: String
        if let known = preparedStatements[key] {
            name = known
        } else {
            if preparedStatements.count >= Self.preparedStatementLimit {
                _ = PQexec(handle, "DEALLOCATE ALL").map(PQclear)
                preparedStatements.removeAll()
            }
            name = "arrears_\(preparedStatements.count)"
            var oids = key.oids
            let prepared = PQprepare(handle, name, query.sql, Int32(oids.count), &oids)
            guard let prepared else { throw connectionError() }
            _ = try check(prepared)
            preparedStatements[key] = name
        }
        return try withParameters(query.binds) { count, _, values, lengths, formats in
            try check(PQexecPrepared(handle, name, count, values, lengths, formats, 1))
        }
    }

    /// Turns a result into rows, or into a `PostgresError` carrying the server's fields.
    private func check(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let result else { throw connectionError() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(PostgresResult(result))
        default:
            defer { PQclear(result) }
            func field(_ code: Int32) -> String? {
                PQresultErrorField(result, code).map { String(cString: $0) }
            }
            let message = field(ARREARS_PG_DIAG_MESSAGE_PRIMARY)
                ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            let fallbackState = PQstatus(handle) == CONNECTION_OK ? "XX000" : "08006"
            throw PostgresError(
                sqlState: field(ARREARS_PG_DIAG_SQLSTATE) ?? fallbackState, message: message,
                detail: field(ARREARS_PG_DIAG_MESSAGE_DETAIL), hint: field(ARREARS_PG_DIAG_MESSAGE_HINT),
                constraint: field(ARREARS_PG_DIAG_CONSTRAINT_NAME), table: field(ARREARS_PG_DIAG_TABLE_NAME),
                column: field(ARREARS_PG_DIAG_COLUMN_NAME), severity: field(ARREARS_PG_DIAG_SEVERITY))
        }
    }

    private func connectionError() -> PostgresError {
        .connection(String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Lays parameters out as the C arrays libpq wants, valid for the duration of `body`. Every
/// value is copied into one buffer followed by a zero byte: text parameters are read as C
/// strings, binary ones by their length.
private func withParameters<Result>(
    _ binds: [PostgresBind],
    _ body: (Int32, UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> Result
) rethrows -> Result {
    let total = binds.reduce(0) { $0 + ($1.bytes?.count ?? 0) + 1 }
    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
    defer { storage.deallocate() }
    var values: [UnsafePointer<CChar>?] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    var types: [UInt32] = []
    values.reserveCapacity(binds.count)
    lengths.reserveCapacity(binds.count)
    formats.reserveCapacity(binds.count)
    types.reserveCapacity(binds.count)
    var offset = 0
    for bind in binds {
        types.append(bind.oid)
        formats.append(bind.isBinary ? 1 : 0)
        guard let bytes = bind.bytes else {
            values.append(nil)
            lengths.append(0)
            continue
        }
        let start = storage.baseAddress! + offset
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { start.copyMemory(from: base, byteCount: source.count) }
        }
        start.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        values.append(UnsafePointer(start.assumingMemoryBound(to: CChar.self)))
        lengths.append(Int32(bytes.count))
        offset += bytes.count + 1
    }
    return try body(Int32(binds.count), types, values, lengths, formats)
}

private func withCStringArray<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
