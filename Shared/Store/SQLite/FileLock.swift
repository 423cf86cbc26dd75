#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on a file (flock), held for the duration of `body`.
/// Used so only one process at a time creates/migrates the database; NSFileCoordinator,
/// which GRDB's sharing guide suggests, does not exist on Linux. The lock is released
/// by the kernel if the process dies, so a crash mid-migration cannot wedge the others.
enum FileLock {
    static func withExclusiveLock<T>(path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.database("cannot open lock file \(path): \(errnoText())") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError.database("cannot lock \(path): \(errnoText())") }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}

func errnoText() -> String {
    String(cString: strerror(errno))
}
