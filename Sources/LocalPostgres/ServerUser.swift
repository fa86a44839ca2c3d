import Foundation

/// `initdb` and `pg_ctl` refuse to run as root, so a root caller runs them as `postgres` and
/// hands that user the folders the server writes to.
struct ServerUser {
    let runAs: (name: String, uid: uid_t, gid: gid_t)?

    static func current() -> ServerUser {
        guard geteuid() == 0 else { return ServerUser(runAs: nil) }
        guard let entry = getpwnam("postgres") else { return ServerUser(runAs: nil) }
        return ServerUser(runAs: ("postgres", entry.pointee.pw_uid, entry.pointee.pw_gid))
    }

    func run(_ arguments: [String]) throws {
        if let runAs {
            try ChildProcess.output(["runuser", "-u", runAs.name, "--"] + arguments)
        } else {
            try ChildProcess.output(arguments)
        }
    }

    func takeOwnership(of folder: URL) throws {
        guard let runAs else { return }
        guard chown(folder.path, runAs.uid, runAs.gid) == 0, chmod(folder.path, 0o700) == 0 else {
            throw LocalPostgresError("cannot hand \(folder.path) to the postgres user: \(String(cString: strerror(errno)))")
        }
    }
}
