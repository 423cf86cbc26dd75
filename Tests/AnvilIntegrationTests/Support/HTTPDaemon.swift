import AnvilResources
import AnvilStore
import Foundation

/// bootd or metadatad processes on one state directory (one store), started for a test.
final class HTTPDaemon: Sendable {
    let state: TemporaryDirectory
    let children: [ChildProcess]
    let port: Int
    let store: Store

    var tftpRoot: String { state.path + "/tftp" }
    var agentDirectory: String { state.path + "/agent" }
    var environmentDirectory: String { state.path + "/env" }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `replicas` bootd processes; with more than one they share a fixed port (SO_REUSEPORT).
    /// `state`: share another daemon's state directory (one store); `port`: a fixed port.
    init(
        _ product: String = "bootd", replicas: Int = 1, port fixedPort: Int? = nil, state shared: TemporaryDirectory? = nil,
        extraArguments: [String] = []
    ) async throws {
        state = try shared ?? TemporaryDirectory()
        let port = try fixedPort ?? (replicas > 1 ? Self.freeTCPPort() : 0)
        var children: [ChildProcess] = []
        for index in 0..<replicas {
            // Only bootd has a boot file root (metadatad refuses settings it does not use).
            let ipxe = product == "bootd" ? ["--ipxe-dir", state.path + "/no-ipxe"] : []
            let arguments = [
                "--local", "--state", state.path, "--http-port", "\(port)", "--log-level", "debug",
            ] + ipxe + (replicas > 1 ? ["--instance", "r\(index)"] : []) + extraArguments
            let child = try ChildProcess(BuiltProducts.url(product), arguments)
            try await child.waitForOutput("msg=\"http listening\"")
            children.append(child)
        }
        self.children = children
        self.port = try TFTPDaemon.field("port", after: "msg=\"http listening\"", in: children[0].stdout)
        store = try await Store.open(stateDirectory: state.url, validate: ResourceValidator.validate)
    }

    /// A TCP port nothing listens on right now.
    static func freeTCPPort() throws -> Int {
        try freeLoopbackPort(type: Int32(SOCK_STREAM.rawValue))
    }

    func stop() async throws {
        for child in children where child.isRunning { child.signal(SIGTERM) }
        for child in children { _ = try await child.wait(timeout: .seconds(20)) }
    }

    deinit {
        for child in children where child.isRunning { child.signal(SIGKILL) }
    }
}

/// A port of that socket type nothing uses right now on 127.0.0.1 (the kernel's pick, released at once).
func freeLoopbackPort(type: Int32) throws -> Int {
    let fd = socket(AF_INET, type, 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("cannot find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
