import AnvilSpawn
import AnvilHTTPServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The server on loopback, driven by curl (a client nobody here wrote).
@Suite struct HTTPServerLiveTests {
    static let logger = Logger(label: "test")

    /// Runs a server on an ephemeral port for the duration of `body`.
    func withServer(
        reusePort: Bool = false, port: Int = 0, maxBodySize: Int = 1 << 20,
        responder: @escaping HTTPResponder, _ body: (Int) async throws -> Void
    ) async throws {
        let bound = Mutex<Int?>(nil)
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: port, reusePort: reusePort, maxBodySize: maxBodySize),
            logger: Self.logger, onBound: { port in bound.withLock { $0 = port } }, responder: responder)
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

    /// curl's status line, headers and body (`-i`), with extra arguments. curl runs on a thread of
    /// its own: blocking a cooperative thread would starve the server's handlers on 2 cores.
    func curl(_ arguments: [String], headers: Bool = true) async throws -> String {
        try await SpawnedProcess.runInBackground(
            "/usr/bin/curl", ["-s", "--max-time", "20"] + (headers ? ["-i"] : []) + arguments, error: .inherit
        ).outputText
    }

    @Test func answersGetAndHead() async throws {
        try await withServer(responder: { request in
            .text(.ok, "hello \(request.path) \(request.queryString)\n")
        }) { port in
            let get = try await curl(["http://127.0.0.1:\(port)/a/b?x=1"])
            #expect(get.hasPrefix("HTTP/1.1 200 OK"))
            #expect(get.contains("Content-Length: 15"))
            #expect(get.hasSuffix("hello /a/b x=1\n"))
            let head = try await curl(["-I", "http://127.0.0.1:\(port)/a"])
            #expect(head.contains("Content-Length: 10"))
            #expect(!head.contains("hello"))
        }
    }

    @Test func keepsConnectionsAliveAcrossRequests() async throws {
        try await withServer(responder: { _ in .text(.ok, "x") }) { port in
            let url = "http://127.0.0.1:\(port)/"
            let log = try await curl(["-v", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", url, url, url, "--stderr", "-"], headers: false)
            #expect(log.contains("Re-using existing connection") || log.contains("Reusing existing connection"), "\(log)")
        }
    }

    @Test func servesFilesWithRangesValidatorsAndHead() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-http-\(UUID().uuidString)").path
        let content = (0..<100_000).map { UInt8($0 % 251) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withServer(responder: { request in
            switch HTTPFileResponse.make(path: request.path == "/missing" ? path + ".none" : path, request: request) {
            case .success(let response): return response
            case .failure: return .text(.notFound, "missing\n")
            }
        }) { port in
            let url = "http://127.0.0.1:\(port)/file"
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-http-out-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            _ = try await curl(["-o", output, url], headers: false)
            #expect(FileManager.default.contents(atPath: output) == Data(content))

            let ranged = try await curl(["-r", "10-19", url])
            #expect(ranged.hasPrefix("HTTP/1.1 206"))
            #expect(ranged.contains("Content-Range: bytes 10-19/100000"))
            #expect(Array(ranged.utf8.suffix(10)) == Array(content[10..<20]))

            let beyond = try await curl(["-r", "200000-", url])
            #expect(beyond.hasPrefix("HTTP/1.1 416"))
            #expect(beyond.contains("Content-Range: bytes */100000"))

            let head = try await curl(["-I", url])
            #expect(head.contains("Content-Length: 100000"))
            let etag = try #require(head.split(separator: "\r\n").first { $0.hasPrefix("ETag: ") }).dropFirst("ETag: ".count)
            let conditional = try await curl(["-H", "If-None-Match: \(etag)", url])
            #expect(conditional.hasPrefix("HTTP/1.1 304"))
            let lastModified = try #require(head.split(separator: "\r\n").first { $0.hasPrefix("Last-Modified: ") }).dropFirst("Last-Modified: ".count)
            #expect(try await curl(["-H", "If-Modified-Since: \(lastModified)", url]).hasPrefix("HTTP/1.1 304"))
            #expect(try await curl(["http://127.0.0.1:\(port)/missing"]).hasPrefix("HTTP/1.1 404"))
        }
    }

    @Test func badRequestsGetAnswersThatSayWhy() async throws {
        try await withServer(maxBodySize: 1000, responder: { _ in .text(.ok, "fine\n") }) { port in
            let huge = try await curl(["-H", "X-Huge: " + String(repeating: "a", count: 100_000), "http://127.0.0.1:\(port)/"])
            #expect(huge.hasPrefix("HTTP/1.1 431"))
            #expect(huge.contains("request headers too large"))
            let body = try await curl(["--data-binary", String(repeating: "b", count: 5000), "http://127.0.0.1:\(port)/"])
            #expect(body.hasPrefix("HTTP/1.1 413"))
            #expect(body.contains("larger than 1000 bytes"))
            // A request line that is not HTTP at all, on a raw socket.
            let garbage = try await rawExchange(port: port, "GARBAGE\u{1}\r\n\r\n")
            #expect(garbage.hasPrefix("HTTP/1.1 400"), "\(garbage)")
            #expect(try await curl(["http://127.0.0.1:\(port)/"]).hasSuffix("fine\n"))
        }
    }

    @Test func severalServersShareAPortWithReusePort() async throws {
        try await withServer(reusePort: true, responder: { _ in .text(.ok, "one\n") }) { port in
            try await withServer(reusePort: true, port: port, responder: { _ in .text(.ok, "two\n") }) { second in
                #expect(second == port)
                var seen: Set<String> = []
                for _ in 0..<40 where seen.count < 2 {
                    seen.insert(try await curl(["http://127.0.0.1:\(port)/"], headers: false))
                }
                #expect(seen == ["one\n", "two\n"])
            }
        }
    }

    /// Writes `text` on a fresh TCP connection and reads until the server closes.
    func rawExchange(port: Int, _ text: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try self.blockingExchange(port: port, text) })
            }
        }
    }

    func blockingExchange(port: Int, _ text: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CocoaError(.fileReadUnknown) }
        _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
