import Foundation

/// Where the server programs (`initdb`, `pg_ctl`) live: `pg_config --bindir` first, then the
/// newest Debian-style `/usr/lib/postgresql/*/bin`, then `PATH`.
struct PostgresBinaries {
    let directory: URL

    var initdb: URL { directory.appendingPathComponent("initdb") }
    var pgCtl: URL { directory.appendingPathComponent("pg_ctl") }

    static func locate() throws -> PostgresBinaries {
        var candidates: [URL] = []
        if let bindir = try? ChildProcess.output(["pg_config", "--bindir"]) {
            candidates.append(URL(fileURLWithPath: bindir.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: debian.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append(debian.appendingPathComponent(version).appendingPathComponent("bin"))
        }
        for entry in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append(URL(fileURLWithPath: String(entry)))
        }
        for directory in candidates {
            let binaries = PostgresBinaries(directory: directory)
            if FileManager.default.isExecutableFile(atPath: binaries.initdb.path),
               FileManager.default.isExecutableFile(atPath: binaries.pgCtl.path) {
                return binaries
            }
        }
        throw LocalPostgresError(
            "no PostgreSQL server programs (initdb, pg_ctl) found; install them with "
                + "`apt-get install -y postgresql` or set DATABASE_URL to an existing server")
    }
}

public struct LocalPostgresError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
