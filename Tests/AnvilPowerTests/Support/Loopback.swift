import AnvilSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain-socket helpers for the tests' own look at their peers, always on 127.0.0.1.
enum Loopback {
    static let host = "127.0.0.1"

    /// A TCP port nothing listens on right now (the kernel's pick, released at once).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PeerError(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw PeerError(description: "bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw PeerError(description: "getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct Answer: Sendable {
        let status: Int
        /// Header names in lower case.
        let headers: [String: String]
        let body: String
    }

    /// `GET path` over HTTP/1.0 on 127.0.0.1:port; nil when nothing answers.
    static func get(port: Int, path: String, basicAuth: (String, String)? = nil) async -> Answer? {
        var headers: [(String, String)] = []
        if let (user, password) = basicAuth {
            headers.append(("Authorization", "Basic \(Data("\(user):\(password)".utf8).base64EncodedString())"))
        }
        return await exchange(port: port, path: path, headers: headers)
    }

    /// One HTTP/1.0 request on 127.0.0.1:port; nil when nothing answers. The blocking socket
    /// work runs on a thread of its own (docs/architecture.md, Tests).
    static func exchange(
        port: Int, method: String = "GET", path: String, headers: [(String, String)] = [], body: String = ""
    ) async -> Answer? {
        let headers = headers.map { Header(name: $0.0, value: $0.1) }
        return await OwnThread.run { blockingExchange(port: port, method: method, path: path, headers: headers, body: body) }
    }

    private struct Header: Sendable {
        let name: String
        let value: String
    }

    private static func blockingExchange(port: Int, method: String, path: String, headers: [Header], body: String) -> Answer? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var request = "\(method) \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nAccept: application/json\r\n"
        for header in headers { request += "\(header.name): \(header.value)\r\n" }
        request += "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        let bytesOut = Array(request.utf8)
        var offset = 0
        while offset < bytesOut.count {
            let sent = bytesOut[offset...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, 0) }
            guard sent > 0 else { return nil }
            offset += sent
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var answerHeaders: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            answerHeaders[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: answerHeaders, body: String(text[headEnd.upperBound...]))
    }
}

extension Loopback {
    /// Whether something accepts TCP connections on 127.0.0.1:port.
    static func isListening(port: Int) async -> Bool {
        await OwnThread.run { blockingIsListening(port: port) }
    }

    private static func blockingIsListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
