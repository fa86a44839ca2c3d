import Foundation
import Glibc

/// A file of JSON lines, one when a handler starts and one when it ends, appended by every worker
/// that shares the path: what a chaos run checks "no customer ever had two tasks running at once"
/// against, across processes killed at any moment. Each line is one `write(2)` to a file opened with
/// O_APPEND, so lines of concurrent writers never interleave.
public final class ExecutionJournal: Sendable {
    private let descriptor: Int32
    private let workerID: String

    public init(path: String, workerID: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkerError.invalidConfiguration("cannot open the execution journal \(path): \(String(cString: strerror(errno)))")
        }
        self.workerID = workerID
    }

    deinit {
        close(descriptor)
    }

    /// `{"event": "start"|"end", "task", "tenant", "customer", "kind", "attempt", "worker", "pid", "at"}`,
    /// `at` in Unix seconds; `end` adds `"outcome"`.
    func record(_ event: String, _ task: ClaimedTask, outcome: String? = nil) {
        let customer = task.customerID.map(String.init) ?? "null"
        var line = #"{"event":"\#(event)","task":\#(task.id),"tenant":\#(task.tenantID),"customer":\#(customer),"#
            + #""kind":"\#(task.kind)","attempt":\#(task.attempt),"worker":"\#(workerID)","pid":\#(getpid()),"#
            + #""at":\#(Date().timeIntervalSince1970)"#
        if let outcome { line += #","outcome":"\#(outcome)""# }
        line += "}\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
