import AnvilHTTPServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A client that sends its request too slowly (slowloris) or not at all is cut off after the
/// configured request timeout; well-behaved clients, large bodies and keep-alive are unaffected.
@Suite struct HTTPRequestTimeoutTests {
    static let logger = Logger(label: "test")

    func withServer(requestTimeout: Duration, _ body: (Int) async throws -> Void) async throws {
        let bound = Mutex<Int?>(nil)
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, requestTimeout: requestTimeout),
            logger: Self.logger, onBound: { port in bound.withLock { $0 = port } },
            responder: { request in
                if request.path == "/big" {
                    return HTTPServerResponse(status: .ok, headers: [:], body: .bytes(ByteBuffer(repeating: UInt8(ascii: "z"), count: Self.bigSize)))
                }
                return .text(.ok, "ok \(request.body?.readableBytes ?? 0)\n")
            })
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var port: Int?
        for _ in 0..<500 {
            port = bound.withLock { $0 }
            if port != nil { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await body(try #require(port))
    }

    /// Sends `text` one byte every `interval` (stopping when the server closes) and reads what
    /// comes back; the elapsed time until the connection ended.
    static func trickle(port: Int, _ text: String, interval: Duration) async throws -> (answer: String, elapsed: Duration, bytesSent: Int) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
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
                guard connected == 0 else {
                    continuation.resume(throwing: CocoaError(.fileReadUnknown))
                    return
                }
                var sent = 0
                for byte in Array(text.utf8) {
                    var one = byte
                    if send(fd, &one, 1, Int32(MSG_NOSIGNAL)) != 1 { break }
                    sent += 1
                    // Stop once the server has closed: a readable EOF means it hung up.
                    var poll = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    let milliseconds = Int32(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
                    if Glibc.poll(&poll, 1, milliseconds) > 0 { break }
                }
                var timeout = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                continuation.resume(returning: (String(decoding: received, as: UTF8.self), ContinuousClock.now - start, sent))
            }
        }
    }

    @Test func aSlowlorisHeadIsCutOffAfterTheTimeout() async throws {
        try await withServer(requestTimeout: .seconds(1)) { port in
            let head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + String(repeating: "a", count: 100) + "\r\n\r\n"
            let (answer, elapsed, sent) = try await Self.trickle(port: port, head, interval: .milliseconds(100))
            print("slowloris head: cut off after \(elapsed), \(sent) of \(head.utf8.count) bytes sent")
            #expect(answer.isEmpty, "\(answer)")
            #expect(sent < head.utf8.count)
            #expect(elapsed < .seconds(10))
            // The server still answers others.
            let (fine, _, _) = try await Self.trickle(port: port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", interval: .zero)
            #expect(fine.hasPrefix("HTTP/1.1 200"), "\(fine)")
        }
    }

    @Test func aSlowBodyIsCutOffToo() async throws {
        try await withServer(requestTimeout: .seconds(1)) { port in
            let request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n" + String(repeating: "b", count: 200)
            let (answer, elapsed, sent) = try await Self.trickle(port: port, request, interval: .milliseconds(50))
            print("slow body: cut off after \(elapsed), \(sent) of \(request.utf8.count) bytes sent")
            #expect(answer.isEmpty, "\(answer)")
            #expect(sent < request.utf8.count)
        }
    }

    static let bigSize = 32 << 20

    /// The timer waits for the request, not the response: a client reading a large body slowly
    /// (past the timeout) still gets all of it.
    @Test func aSlowReaderOfALargeResponseIsNotCutOff() async throws {
        try await withServer(requestTimeout: .seconds(1)) { port in
            let received: Int = try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    defer { close(fd) }
                    var address = sockaddr_in()
                    address.sin_family = sa_family_t(AF_INET)
                    address.sin_port = in_port_t(UInt16(port).bigEndian)
                    address.sin_addr.s_addr = inet_addr("127.0.0.1")
                    _ = withUnsafePointer(to: &address) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                    }
                    let request = Array("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)
                    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    Thread.sleep(forTimeInterval: 2.5)  // the socket buffers fill; the response is not sent yet
                    var timeout = timeval(tv_sec: 20, tv_usec: 0)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    var total = 0
                    var buffer = [UInt8](repeating: 0, count: 1 << 16)
                    while true {
                        let count = recv(fd, &buffer, buffer.count, 0)
                        if count <= 0 { break }
                        total += count
                        if total < 1 << 20 { usleep(1000) }  // read the first MiB slowly too
                    }
                    continuation.resume(returning: total)
                }
            }
            print("slow reader received \(received) bytes")
            #expect(received > Self.bigSize)
        }
    }

    @Test func anIdleConnectionIsClosedAndAPromptOneIsServed() async throws {
        try await withServer(requestTimeout: .seconds(1)) { port in
            // Nothing sent at all: closed after the timeout.
            let (idle, elapsed, _) = try await Self.trickle(port: port, "", interval: .zero)
            print("idle connection closed after \(elapsed)")
            #expect(idle.isEmpty)
            // A prompt request with a body is answered.
            let post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
            let (answer, _, _) = try await Self.trickle(port: port, post, interval: .zero)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(answer.hasSuffix("ok 5\n"))
        }
    }
}
