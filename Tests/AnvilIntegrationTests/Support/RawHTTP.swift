import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Raw bytes to an HTTP daemon on loopback, for requests no well-behaved client would send.
/// Blocking socket work runs on a thread of its own, never on the cooperative pool.
enum RawHTTP {
    struct Answer: Sendable {
        var text: String
        /// How long until the server closed the connection (or the read timed out).
        var elapsed: Duration
        /// 0 when no status line came back.
        var status: Int {
            guard text.hasPrefix("HTTP/1.1 "), let code = Int(text.dropFirst(9).prefix(3)) else { return 0 }
            return code
        }
        var body: String {
            text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        }
    }

    /// Sends `bytes` (all at once, or one byte per `trickle` until the server hangs up) and reads
    /// until the server closes the connection.
    static func exchange(port: Int, _ bytes: [UInt8], trickle: Duration? = nil, readTimeout: Int = 30) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try blockingExchange(port: port, bytes, trickle: trickle, readTimeout: readTimeout) })
            }
        }
    }

    static func exchange(port: Int, _ text: String, trickle: Duration? = nil) async throws -> Answer {
        try await exchange(port: port, Array(text.utf8), trickle: trickle)
    }

    private static func blockingExchange(port: Int, _ bytes: [UInt8], trickle: Duration?, readTimeout: Int) throws -> Answer {
        let start = ContinuousClock.now
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("cannot connect to 127.0.0.1:\(port)") }
        if let trickle {
            let milliseconds = Int32(trickle.components.seconds * 1000 + trickle.components.attoseconds / 1_000_000_000_000_000)
            for byte in bytes {
                var one = byte
                if send(fd, &one, 1, Int32(MSG_NOSIGNAL)) != 1 { break }
                var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if Glibc.poll(&poll, 1, milliseconds) > 0 { break }  // the server answered or hung up
            }
        } else {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { break }  // the server may refuse (413) and close before reading it all
                offset += written
            }
        }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return Answer(text: String(decoding: received, as: UTF8.self), elapsed: ContinuousClock.now - start)
    }
}
