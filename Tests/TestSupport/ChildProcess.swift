import Foundation
import Glibc
import Synchronization

/// A program the test started, with its output collected line by line on threads of its own
/// (blocking reads stay off the cooperative pool). posix_spawn and waitpid are used directly:
/// Foundation's `Process.waitUntilExit` can hang on Linux off the main thread.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let state = Mutex(State())
    private let exit = Mutex<Int32?>(nil)
    private let stdinDescriptor: Int32
    /// Closing twice could close a descriptor number another thread has since been given.
    private let inputClosed = Atomic(false)
    /// Signalled by each reader thread at end of file, so `run` returns all of the output.
    private let readersFinished = DispatchSemaphore(value: 0)

    private struct State {
        var output = Data()
        var errors = Data()
        var lines: [String] = []
        var partial: [Bool: Data] = [false: Data(), true: Data()]
    }

    /// Starts `arguments[0]` (looked up on PATH) with the current environment plus `environment`.
    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        // Writing to a child that already exited must be an error, not the death of the tests.
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let pipes = try (0..<3).map { _ in try Self.makePipe() }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0].read, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1].write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2].write, 2)
        // Nothing else of this process may leak into the child: an inherited pipe end keeps
        // another child's "exited" signal (Foundation's Process waits for it) from ever arriving.
        Self.closeInheritedDescriptors(&actions)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        close(pipes[0].read)
        close(pipes[1].write)
        close(pipes[2].write)
        guard spawned == 0 else {
            [pipes[0].write, pipes[1].read, pipes[2].read].forEach { close($0) }
            throw ChildProcessError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        stdinDescriptor = pipes[0].write
        startReading(pipes[1].read, isError: false)
        startReading(pipes[2].read, isError: true)
    }

    /// Runs to completion and returns exit status and output.
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> ArrearsCommand.Result {
        let child = try ChildProcess(arguments, environment: environment)
        if let input { child.write(input) }
        child.closeInput()
        let status = child.waitForExit()
        child.readersFinished.wait()
        child.readersFinished.wait()
        return ArrearsCommand.Result(status: status, output: child.output, errors: child.errors)
    }

    public var output: String { state.withLock { String(decoding: $0.output, as: UTF8.self) } }
    public var errors: String { state.withLock { String(decoding: $0.errors, as: UTF8.self) } }
    /// Lines of standard output and error, in arrival order.
    public var lines: [String] { state.withLock { $0.lines } }

    public func write(_ text: String) {
        guard !inputClosed.load(ordering: .acquiring) else { return }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Foundation.write(stdinDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }

    public func closeInput() {
        guard !inputClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        close(stdinDescriptor)
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Blocks this thread until the process exits; returns its exit code, or 128 + signal.
    @discardableResult
    public func waitForExit() -> Int32 {
        if let known = exit.withLock({ $0 }) { return known }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return exit.withLock { $0 } ?? -1 }
        }
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exit.withLock { $0 = code }
        return code
    }

    /// Waits without blocking the cooperative pool.
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.waitForExit()) }.start()
        }
    }

    /// Waits until a line matching `predicate` appears on standard output or error.
    public func waitForLine(timeout: Duration = .seconds(60), _ predicate: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: predicate) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ChildProcessError("no matching line within \(timeout); output so far:\n\(output)\n\(errors)")
    }

    /// Stops the process (SIGTERM, then SIGKILL) if it still runs.
    public func stop() {
        guard exit.withLock({ $0 }) == nil else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exit.withLock { $0 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
                return
            }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        waitForExit()
    }

    deinit {
        stop()
        closeInput()
    }

    private func startReading(_ descriptor: Int32, isError: Bool) {
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                let chunk = Data(buffer[0..<count])
                state.withLock { state in
                    if isError { state.errors.append(chunk) } else { state.output.append(chunk) }
                    var partial = state.partial[isError, default: Data()] + chunk
                    while let newline = partial.firstIndex(of: 0x0A) {
                        state.lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                        partial.removeSubrange(partial.startIndex...newline)
                    }
                    state.partial[isError] = partial
                }
            }
            close(descriptor)
            readersFinished.signal()
        }.start()
    }

    /// glibc (2.34+) has posix_spawn_file_actions_addclosefrom_np, but Swift's Glibc module does
    /// not declare it, so it is looked up at run time.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw ChildProcessError("pipe failed: \(String(cString: strerror(errno)))") }
        _ = fcntl(descriptors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptors[1], F_SETFD, FD_CLOEXEC)
        return (descriptors[0], descriptors[1])
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
