#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small POSIX helpers for socket files: path limits, liveness probes, identity.
enum UnixSocket {
    /// `sizeof(sockaddr_un.sun_path)` minus the terminating NUL.
    static let maximumPathLength: Int = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    static func checkPathLength(_ path: String) throws {
        if path.utf8.count > maximumPathLength {
            throw BusError.socketPathTooLong(path: path, limit: maximumPathLength)
        }
    }

    enum Probe: Equatable {
        /// Nothing exists at the path.
        case missing
        /// Something exists but is not a socket.
        case notASocket
        /// A socket file nobody accepts connections on (a dead server's leftover).
        case stale
        /// A server accepts connections (or its backlog is full, which means it is alive).
        case listening
        /// Could not tell (e.g. permission denied); leave it alone.
        case unknown(errno: Int32)
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// Device and inode of the file at `path`, to recognise "our" socket file later.
    static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Tries a non-blocking connect to the socket at `path`.
    static func probe(_ path: String) -> Probe {
        var info = stat()
        guard lstat(path, &info) == 0 else { return errno == ENOENT ? .missing : .unknown(errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else { return .notASocket }
        guard path.utf8.count <= maximumPathLength else { return .unknown(errno: ENAMETOOLONG) }

        #if canImport(Glibc) || canImport(Musl)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .unknown(errno: errno) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)

        let result = withAddress(path) { connect(fd, $0, $1) }
        if result == 0 { return .listening }
        switch errno {
        case EAGAIN, EINPROGRESS: return .listening
        case ECONNREFUSED: return .stale
        case ENOENT: return .missing
        default: return .unknown(errno: errno)
        }
    }

    /// Calls `body` with a `sockaddr_un` for `path` (which must fit; see `checkPathLength`),
    /// for connect(2) and bind(2).
    static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    @discardableResult
    static func unlinkFile(_ path: String) -> Bool {
        unlink(path) == 0
    }

    static func setMode(_ path: String, _ mode: mode_t) -> Bool {
        chmod(path, mode) == 0
    }

    static func errorDescription(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
