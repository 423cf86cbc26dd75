import AnvilBoot
import AnvilHTTPServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SimulatorCore
import Synchronization

/// A fake bootd + metadatad in one in-process HTTP server, enough for a machine's lifecycle:
/// `/ipxe` answers the agent until the server is wiped, then the target until it reports
/// installed, then `exit`; the agent API and `/configdata` answer as metadatad's do.
final class MachineTestAnvil: Sendable {
    struct Request: Sendable, Equatable {
        var method: String
        var path: String
        var query: [String: String]
        var client: String
        var authorization: String?
        var body: String
    }

    struct State {
        var requests: [Request] = []
        var wiped: Set<String> = []
        var installed: Set<String> = []
        var accepted = true
        var powerOff = false
        /// `/ipxe` answers 500 this many more times.
        var failIPXE = 0
        /// `/configdata` answers 404 this many more times.
        var failConfig = 0
    }

    let state = Mutex(State())
    private let bound = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)
    static let token = "tok-123"

    var port: Int { bound.withLock { $0 } ?? 0 }
    var bootd: String { "http://127.0.0.1:\(port)" }
    var requests: [Request] { state.withLock { $0.requests } }

    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    func start() async throws {
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0), logger: Logger(label: "test"),
            onBound: { [self] port in self.bound.withLock { $0 = port } }
        ) { [self] request in self.answer(request) }
        task.withLock { $0 = Task { try await server.run() } }
        for _ in 0..<500 where port == 0 { try await Task.sleep(for: .milliseconds(10)) }
    }

    func stop() { task.withLock { $0 }?.cancel() }

    private func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let query = HTTPQuery.parse(request.queryString) ?? [:]
        let path = String(request.path)
        let seen = Request(
            method: request.method.rawValue, path: path, query: query, client: request.clientIP,
            authorization: request.headers.first(name: "Authorization"), body: request.body.map { String(buffer: $0) } ?? "")
        return state.withLock { state -> HTTPServerResponse in
            state.requests.append(seen)
            let endpoint = "127.0.0.1:\(port)"
            if path == "/boot.ipxe" {
                return .text(.ok, IPXEScript.boot(endpoint: "127.0.0.1", port: port))
            }
            if path == "/ipxe" {
                if state.failIPXE > 0 {
                    state.failIPXE -= 1
                    return .text(.internalServerError, "boom")
                }
                let uuid = query["uuid"] ?? ""
                if state.installed.contains(uuid) { return .text(.ok, "#!ipxe\nexit\n") }
                if state.wiped.contains(uuid) {
                    return .text(.ok, "#!ipxe\nkernel /env/target/vmlinuz console=ttyS0 talos.config=http://\(endpoint)/configdata?token=\(Self.token)&uuid= anvil.token=\(Self.token)\ninitrd /env/target/initramfs.xz\nboot\n")
                }
                let off = state.powerOff ? " anvil.poweroff=1" : ""
                return .text(.ok, "#!ipxe\nkernel /env/agent-amd64/vmlinuz console=tty0 anvil.endpoint=\(endpoint) sidero.mac=\(query["mac"] ?? "") anvil.token=\(Self.token)\(off)\ninitrd /env/agent-amd64/initramfs.xz\nboot\n")
            }
            if path == "/configdata" {
                if state.failConfig > 0 {
                    state.failConfig -= 1
                    return .text(.notFound, "no config yet")
                }
                return .text(.ok, "version: v1alpha1\nmachine: {}\n", contentType: "application/yaml")
            }
            if path == "/api/v1/register" {
                return .text(.ok, #"{"accepted": \#(state.accepted), "wipe": true, "insecureWipe": true, "setupBMC": true, "rebootTimeoutSeconds": 1200}"#, contentType: "application/json")
            }
            let parts = path.split(separator: "/")
            if parts.count == 5, parts[0] == "api", parts[2] == "servers" {
                let uuid = String(parts[3])
                switch parts[4] {
                case "wiped": state.wiped.insert(uuid)
                case "installed": state.installed.insert(uuid)
                default: break
                }
                return .text(.ok, "{}", contentType: "application/json")
            }
            return .text(.notFound, "not found")
        }
    }
}

/// A collected log, for expectations on a machine's lines.
final class MachineTestLog: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var sink: @Sendable (String) -> Void { { [self] line in self.lines.withLock { $0.append(line) } } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// Polls `condition` every 10 ms for up to `seconds`.
func eventually(_ seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
