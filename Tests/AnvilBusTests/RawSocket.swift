@testable import AnvilBus
import AnvilJSON
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking POSIX client socket, for tests that must write bytes no well-behaved client would.
/// Blocking reads run on their own thread (`offloaded`), never on the cooperative pool.
final class RawSocket: @unchecked Sendable {
    private var fd: Int32

    init(path: String, receiveTimeout: Int = 5) throws {
        #if canImport(Glibc)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXFailure(operation: "socket", code: errno) }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = UnixSocket.withAddress(path) { connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            // close() also forgets the descriptor: deinit runs when a class init throws, and a
            // second close could hit a socket another thread (a server binding) just opened.
            close()
            throw POSIXFailure(operation: "connect", code: code)
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw POSIXFailure(operation: "send", code: errno) }
            offset += written
        }
    }

    /// Sends `text` as one well-formed frame.
    func sendFrame(_ text: String) throws {
        try send(Self.frame(Array(text.utf8)))
    }

    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + payload
    }

    /// Reads exactly `count` bytes; nil on EOF.
    func receive(_ count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let read = bytes[offset...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if read == 0 { return nil }
            if read < 0, errno == ECONNRESET { return nil }
            guard read > 0 else { throw POSIXFailure(operation: "recv", code: errno) }
            offset += read
        }
        return bytes
    }

    /// Reads one frame and parses it; nil on EOF.
    func receiveFrame() async throws -> JSONValue? {
        try await offloaded { try self.receiveFrameBlocking() }
    }

    /// True when the peer closes the connection (EOF) before sending anything else.
    func receivesEOF() async throws -> Bool {
        try await offloaded { try self.receivesEOFBlocking() }
    }

    private func receiveFrameBlocking() throws -> JSONValue? {
        guard let header = try receive(4) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard let payload = try receive(length) else { return nil }
        return try JSONValue(data: Data(payload))
    }

    private func receivesEOFBlocking() throws -> Bool {
        var byte: UInt8 = 0
        let read = recv(fd, &byte, 1, 0)
        if read == 0 { return true }
        if read < 0, errno == ECONNRESET { return true }
        if read < 0 { throw POSIXFailure(operation: "recv", code: errno) }
        return false
    }
}

/// Runs blocking work on a fresh thread so it cannot starve Swift's cooperative thread pool
/// (which the servers under test need).
func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
