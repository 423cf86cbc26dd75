import AnvilJSON
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Raw frames to a daemon's bus socket, for requests no `BusClient` would send. Blocking calls
/// run on a thread of their own.
final class RawBusSocket: @unchecked Sendable {
    private let fd: Int32

    init(path: String) throws {
        fd = try Self.connected(to: path)
    }

    /// A connected descriptor, or a throw with nothing left open. The descriptor is stored only
    /// once connected: a throwing init still runs deinit, which must not close a number that may
    /// already belong to another thread's file, socket or event loop.
    private static func connected(to path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("cannot create a socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw TestFailure("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw TestFailure("cannot connect to \(path)")
        }
        return fd
    }

    deinit { Glibc.close(fd) }

    /// Sends `payload` as one length-prefixed frame and reads the answering frame (nil on EOF).
    func exchange(_ payload: [UInt8]) async throws -> JSONValue? {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.blockingExchange(payload) })
            }
        }
    }

    private func blockingExchange(_ payload: [UInt8]) throws -> JSONValue? {
        let length = UInt32(payload.count)
        let frame = [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + payload
        var offset = 0
        while offset < frame.count {
            let written = frame[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }  // refused and closed mid-frame: the answer is still there to read
            offset += written
        }
        guard let header = receive(4) else { return nil }
        guard let body = receive(header.reduce(0) { $0 << 8 | Int($1) }) else { return nil }
        return try JSONValue(data: Data(body))
    }

    private func receive(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let read = bytes[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard read > 0 else { return nil }
            offset += read
        }
        return bytes
    }
}
