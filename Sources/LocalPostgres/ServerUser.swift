import Foundation

/// `initdb` and `pg_ctl` refuse to run as root, so a root caller runs them as `postgres` and
/// hands that user the folders the server writes to.
struct ServerUser {
    let runAs: (name: String, uid: uid_t, gid: gid_t)?
    /// The server user's home (`/var/lib/postgresql` on Debian), when it runs as another user.
    let home: URL?

    static func current() -> ServerUser {
        guard geteuid() == 0 else { return ServerUser(runAs: nil, home: nil) }
        guard let entry = getpwnam("postgres") else { return ServerUser(runAs: nil, home: nil) }
        return ServerUser(runAs: ("postgres", entry.pointee.pw_uid, entry.pointee.pw_gid),
                          home: URL(fileURLWithPath: String(cString: entry.pointee.pw_dir)))
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

    /// Whether the server user can pass through every existing folder on the way to `folder`;
    /// folders still to be created will be made searchable by everyone.
    func canReach(_ folder: URL) -> Bool {
        guard let runAs else { return true }
        var path = folder.path
        while !path.isEmpty {
            var info = stat()
            if stat(path, &info) == 0 {
                let searchable: mode_t = info.st_uid == runAs.uid ? S_IXUSR : info.st_gid == runAs.gid ? S_IXGRP : S_IXOTH
                guard info.st_mode & searchable != 0 else { return false }
            }
            guard path != "/" else { break }
            path = (path as NSString).deletingLastPathComponent
        }
        return true
    }
}
