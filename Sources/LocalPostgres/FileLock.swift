import Foundation

/// An advisory `flock(2)` on a file; the kernel drops it when the process dies.
final class FileLock {
    private let descriptor: Int32

    init(_ url: URL, exclusive: Bool) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LocalPostgresError("cannot open \(url.path): \(String(cString: strerror(errno)))") }
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw LocalPostgresError("cannot lock \(url.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Takes the lock exclusively only if nobody else holds it.
    init?(tryExclusive url: URL) {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
