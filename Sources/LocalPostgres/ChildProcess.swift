import Foundation

/// Runs a program to completion, for the few server commands the cluster needs. It uses
/// posix_spawn and waitpid directly: Foundation's `Process.waitUntilExit` can hang on Linux
/// when called off the main thread.
enum ChildProcess {
    /// Runs `arguments` (looked up on PATH) and returns what it printed (standard output and
    /// error together); throws with that text on a non-zero exit. The output goes to a temporary
    /// file, not a pipe: `pg_ctl start` leaves a server running that may hold the descriptor
    /// open, and a pipe would then never reach end-of-file.
    @discardableResult
    static func output(_ arguments: [String]) throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/arrears-cmd.XXXXXX").utf8CString)
        let outputFile = mkstemp(&template)
        guard outputFile >= 0 else { throw failure(arguments, "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        let outputPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer {
            close(outputFile)
            unlink(outputPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFile, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFile, 2)
        // pg_ctl leaves a server running: it must not keep this process's descriptors open
        // (sockets, pipes another child's exit is watched through) for as long as it lives.
        closeInheritedDescriptors(&actions)

        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw failure(arguments, String(cString: strerror(spawned))) }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED and WEXITSTATUS are macros Swift cannot import.
        let exitedNormally = status & 0x7f == 0
        guard exitedNormally, (status >> 8) & 0xff == 0 else {
            throw failure(arguments, text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return text
    }

    private static func failure(_ arguments: [String], _ message: String) -> LocalPostgresError {
        let program = arguments.first { !$0.hasPrefix("-") && $0 != "runuser" && $0 != "--" && $0 != "postgres" } ?? "command"
        return LocalPostgresError("\(URL(fileURLWithPath: program).lastPathComponent) failed: \(message)")
    }
}

/// glibc (2.34+) has posix_spawn_file_actions_addclosefrom_np, but Swift's Glibc module does not
/// declare it, so it is looked up at run time.
private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
    _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
}
