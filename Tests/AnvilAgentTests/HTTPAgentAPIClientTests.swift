import AnvilHTTPServer
import AnvilResources
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
@testable import AnvilAgent

/// The HTTP client against a real HTTP server that misbehaves on purpose: 500, garbage, nothing.
@Suite struct HTTPAgentAPIClientTests {
    /// Serves `answers` in turn (the last one repeats) and records each request's path, token and body.
    final class Seen: Sendable {
        let requests = Mutex<[String]>([])
        func withLock<T>(_ body: (inout [String]) -> T) -> T { requests.withLock { body(&$0) } }
    }

    func withServer(_ answers: [HTTPServerResponse], _ body: (Int, Seen) async throws -> Void) async throws {
        let seen = Seen()
        let next = Mutex(0)
        let bound = Mutex<Int?>(nil)
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0), logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } }
        ) { request in
            let bodyText = request.body.map { String(buffer: $0) } ?? ""
            seen.withLock { $0.append("\(request.path) \(request.headers.first(name: "Authorization") ?? "-") \(bodyText)") }
            let index = next.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            return answers[min(index, answers.count - 1)]
        }
        let task = Task { try await server.run() }
        defer { task.cancel() }
        var port: Int?
        for _ in 0..<500 where port == nil {
            port = bound.withLock { $0 }
            if port == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await body(try #require(port), seen)
    }

    static func json(_ status: HTTPResponseStatus, _ text: String) -> HTTPServerResponse {
        .text(status, text, contentType: "application/json")
    }

    @Test func registerRetriesThrough500AndGarbageThenSucceeds() async throws {
        let good = #"{"accepted": true, "wipe": true, "insecureWipe": false, "setupBMC": false, "rebootTimeoutSeconds": 1200}"#
        try await withServer([Self.json(.internalServerError, #"{"error": "internal error (logged)"}"#), .text(.ok, "<html>proxy</html>"), Self.json(.ok, good)]) { port, seen in
            let client = HTTPAgentAPIClient(endpoint: "127.0.0.1:\(port)", token: "tok")
            let lines = Mutex<[String]>([])
            let answer = try await RetryPolicy(initialDelay: .milliseconds(10)).run("register", log: { line in lines.withLock { $0.append(line) } }) {
                try await client.register(Registration(uuid: "11111111-2222-3333-4444-555555555555"))
            }
            #expect(answer == RegisterAnswer(accepted: true, wipe: true, rebootTimeoutSeconds: 1200))
            #expect(lines.withLock { $0 } == [
                "register failed: register: HTTP 500: internal error (logged); retrying in 10 ms (attempt 2)",
                "register failed: register answered something that is not a registration answer: \"<html>proxy</html>\"; retrying in 20 ms (attempt 3)",
            ])
            let requests = seen.withLock { $0 }
            #expect(requests.count == 3)
            #expect(requests[0].hasPrefix("/api/v1/register Bearer tok {"))
            #expect(requests[0].contains(#""uuid":"11111111-2222-3333-4444-555555555555""#))
        }
    }

    @Test func operationsPostToTheServersPathAndRefusalsCarryTheServersMessage() async throws {
        try await withServer([Self.json(.ok, "{}"), Self.json(.ok, "{}"), Self.json(.forbidden, #"{"error": "machine token does not match server x"}"#)]) { port, seen in
            let client = HTTPAgentAPIClient(endpoint: "127.0.0.1:\(port)", token: nil)
            try await client.heartbeat(uuid: "u1", progress: 42.5)
            try await client.reportBMC(uuid: "u1", BMCReport(ip: "0.0.0.0", port: 623, user: "sidero", pass: "p"))
            do {
                try await client.markWiped(uuid: "u1")
                Issue.record("a 403 was accepted")
            } catch let error as AgentAPIError {
                #expect(error.kind == .status(403))
                #expect(!error.isRetryable)
                #expect(error.message == "servers/u1/wiped: HTTP 403: machine token does not match server x")
            }
            let requests = seen.withLock { $0 }
            #expect(requests[0] == #"/api/v1/servers/u1/heartbeat - {"progress":42.5}"#)
            #expect(requests[1].hasPrefix("/api/v1/servers/u1/bmc - {"))
            #expect(requests[1].contains(#""ip":"0.0.0.0""#))
        }
    }

    @Test func nobodyListeningIsUnreachableAndRetryable() async throws {
        // A port that was just free: bind, read the port, close.
        let socket = try ServerSocketProbe.freePort()
        let client = HTTPAgentAPIClient(endpoint: "127.0.0.1:\(socket)", token: nil, timeout: .seconds(2))
        do {
            _ = try await client.register(Registration(uuid: "u1"))
            Issue.record("registered with nobody listening")
        } catch let error as AgentAPIError {
            #expect(error.kind == .unreachable)
            #expect(error.isRetryable)
            #expect(error.message.hasPrefix("register: no answer from http://127.0.0.1:\(socket)/api/v1/"))
        }
    }
}

enum ServerSocketProbe {
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
