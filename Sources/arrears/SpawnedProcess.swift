import Foundation
import Synchronization

/// Another `arrears` process started by this one (the benchmark's workers, the demo's coordinator
/// and workers), its output collected line by line and forwarded to our standard error with a
/// prefix unless `quiet`. posix_spawn and waitpid are used directly: Foundation's
/// `Process.waitUntilExit` can hang on Linux off the main thread.
final class SpawnedProcess: Sendable {
    let pid: pid_t
    private let lines = Mutex<[String]>([])
    private let quiet: Bool

    /// Starts this same binary with `arguments`, in this process's environment plus `environment`.
    init(arguments: [String], prefix: String, quiet: Bool = false, environment: [String: String] = [:]) throws {
        self.quiet = quiet
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw SpawnError("pipe failed: \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, descriptors[1], 1)
        posix_spawn_file_actions_adddup2(&actions, descriptors[1], 2)
        posix_spawn_file_actions_addclose(&actions, descriptors[0])
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(descriptors[1])
        guard spawned == 0 else {
            close(descriptors[0])
            throw SpawnError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        let read = descriptors[0]
        Thread { [self] in forward(read, prefix: prefix) }.start()
    }

    /// Waits until a line containing `text` appeared, and returns it.
    @discardableResult
    func waitForLine(containing text: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.withLock({ $0.last { $0.contains(text) } }) { return line }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw SpawnError("process \(pid) exited before it was ready: \(recentOutput)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SpawnError("process \(pid) was not ready within \(timeout): \(recentOutput)")
    }

    /// The last lines it printed, for an error message.
    var recentOutput: String {
        lines.withLock { $0.suffix(5).joined(separator: " | ") }
    }

    /// SIGKILL, then waits for the exit: the process gets no chance to clean up.
    func killAbruptly() async {
        _ = await signalAndWait(SIGKILL)
    }

    /// SIGTERM, then waits for the exit (blocking a thread of its own).
    func terminate() async -> Int32 {
        await signalAndWait(SIGTERM)
    }

    private func signalAndWait(_ signal: Int32) async -> Int32 {
        kill(pid, signal)
        return await withCheckedContinuation { continuation in
            Thread { [pid] in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                continuation.resume(returning: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }.start()
        }
    }

    private func forward(_ descriptor: Int32, prefix: String) {
        var buffer = [UInt8](repeating: 0, count: 8192)
        var partial = Data()
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            partial.append(contentsOf: buffer[0..<count])
            while let newline = partial.firstIndex(of: 0x0A) {
                let line = String(decoding: partial[partial.startIndex..<newline], as: UTF8.self)
                partial.removeSubrange(partial.startIndex...newline)
                // The latest lines are enough to wait on and to explain an exit.
                lines.withLock { lines in
                    lines.append(line)
                    if lines.count > 4000 { lines.removeFirst(2000) }
                }
                if !quiet { FileHandle.standardError.write(Data("\(prefix)\(line)\n".utf8)) }
            }
        }
        close(descriptor)
    }
}

struct SpawnError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Processes started together and stopped together, also when this process is interrupted: left
/// running they would go on working on the next run's database.
final class ProcessGroup {
    private(set) var processes: [SpawnedProcess]
    private let signalSources: [any DispatchSourceSignal]
    private let shared = Shared()

    /// What the signal handlers read: the members, whether someone waits for an interrupt, whether one came.
    private final class Shared: Sendable {
        let pids = Mutex<Set<pid_t>>([])
        let waiting = Atomic(false)
        let happened = Atomic(false)
    }

    /// On SIGINT or SIGTERM the members get SIGTERM and this process exits, unless
    /// `waitForInterrupt` is waiting, which then returns.
    init(_ processes: [SpawnedProcess]) {
        self.processes = processes
        let shared = shared
        shared.pids.withLock { $0 = Set(processes.map(\.pid)) }
        signalSources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard shared.waiting.load(ordering: .acquiring) else {
                    shared.pids.withLock { $0 }.forEach { kill($0, SIGTERM) }
                    exit(128 + number)
                }
                shared.happened.store(true, ordering: .releasing)
            }
            source.resume()
            return source
        }
    }

    /// Takes `process` in, stopped with the others.
    func add(_ process: SpawnedProcess) {
        processes.append(process)
        shared.pids.withLock { _ = $0.insert(process.pid) }
    }

    /// Lets go of a process that has exited.
    func remove(_ process: SpawnedProcess) {
        processes.removeAll { $0.pid == process.pid }
        shared.pids.withLock { _ = $0.remove(process.pid) }
    }

    /// Starts `count` workers of this binary.
    convenience init(workers count: Int, arguments: [String]) throws {
        self.init(try (0..<count).map { try SpawnedProcess(arguments: arguments, prefix: "[worker \($0 + 1)] ") })
    }

    func waitUntilReady(_ text: String = "worker ready") async throws {
        for process in processes { try await process.waitForLine(containing: text, timeout: .seconds(60)) }
    }

    /// Returns at the next SIGINT or SIGTERM.
    func waitForInterrupt() async {
        shared.waiting.store(true, ordering: .releasing)
        while !shared.happened.load(ordering: .acquiring) {
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// SIGTERM to each; returns their exit statuses.
    @discardableResult
    func stop() async -> [Int32] {
        var statuses: [Int32] = []
        for process in processes { statuses.append(await process.terminate()) }
        signalSources.forEach { $0.cancel() }
        return statuses
    }
}
