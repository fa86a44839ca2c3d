import Synchronization

/// The tasks this worker is running, with their handler tasks so they can be cancelled.
final class InFlight: Sendable {
    /// What happens to a run's outcome when its handler returns.
    enum Fate: Sendable {
        case report
        /// The lease is gone (another worker may be running the task): drop the outcome.
        case lost
        /// Someone cancelled the task: report it cancelled unless it succeeded anyway.
        case cancelRequested
        /// Shutdown cancelled the handler: give the task back unless it succeeded anyway.
        case released
    }

    private struct Entry {
        let task: ClaimedTask
        var handle: Task<Void, Never>?
        var fate: Fate = .report
    }

    private let entries = Mutex<[Int64: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }
    var isEmpty: Bool { entries.withLock { $0.isEmpty } }

    /// Registers `task` and starts it; the handler's own `finish` cannot run before the entry exists.
    func start(_ task: ClaimedTask, _ body: @escaping @Sendable () async -> Void) {
        entries.withLock { entries in
            entries[task.id] = Entry(task: task, handle: Task(operation: body))
        }
    }

    /// Removes a finished run; nil if shutdown already gave the task back.
    func finish(_ id: Int64) -> Fate? {
        entries.withLock { $0.removeValue(forKey: id)?.fate }
    }

    var leases: [Lease] {
        entries.withLock { entries in entries.values.filter { $0.fate != .lost }.map { Lease($0.task) } }
    }

    /// Marks runs and cancels their handlers.
    func mark(_ ids: some Sequence<Int64>, _ fate: Fate) -> [ClaimedTask] {
        let affected = entries.withLock { entries -> [(ClaimedTask, Task<Void, Never>?)] in
            ids.compactMap { id in
                guard var entry = entries[id], entry.fate == .report else { return nil }
                entry.fate = fate
                entries[id] = entry
                return (entry.task, entry.handle)
            }
        }
        affected.forEach { $0.1?.cancel() }
        return affected.map(\.0)
    }

    /// Cancels every remaining handler at shutdown. The runs stay registered, so their leases
    /// are still renewed and nobody else starts the task while a handler that has not noticed
    /// the cancellation still runs; each is given back when its handler returns.
    func cancelAll() -> Int {
        let handles = entries.withLock { entries -> [Task<Void, Never>?] in
            for (id, entry) in entries where entry.fate == .report { entries[id]?.fate = .released }
            return entries.values.map(\.handle)
        }
        handles.forEach { $0?.cancel() }
        return handles.count
    }

    /// Forgets the runs whose handlers never returned, so their leases are no longer renewed
    /// and expire: the process exits with them, and the queue runs them again after the lease.
    func abandonAll() -> [ClaimedTask] {
        entries.withLock { entries in
            defer { entries.removeAll() }
            return entries.values.map(\.task)
        }
    }
}
