import Foundation
import TestSupport

/// Runs the real binary with its output sent to files, read after it exits. (`ArrearsCommand.run`
/// can return before its reader threads have drained the pipes, losing the last output.)
enum Arrears {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arrears-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out"), errors = folder.appendingPathComponent("err")
        let shell = try ChildProcess.run(
            ["/bin/sh", "-c", #""$0" "$@" >"$ARREARS_TEST_OUT" 2>"$ARREARS_TEST_ERR""#, ArrearsCommand.binary.path] + arguments,
            environment: ["ARREARS_TEST_OUT": output.path, "ARREARS_TEST_ERR": errors.path])
        return Result(status: shell.status, output: try String(contentsOf: output, encoding: .utf8),
                      errors: try String(contentsOf: errors, encoding: .utf8))
    }
}
