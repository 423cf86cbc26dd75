import AnvilJSON
import Foundation

/// The management API peer: Peers/management_api_server.py (Python stdlib) on 127.0.0.1,
/// on a port it picks itself and prints as "LISTENING <port>".
final class ManagementAPIPeer: Sendable {
    let port: Int
    let process: PeerProcess
    private let directory: URL

    var endpoint: String { "\(Loopback.host):\(port)" }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers/management_api_server.py")
    }

    /// - Parameters:
    ///   - fail: paths that answer this status instead of 200.
    ///   - hang: paths that never answer.
    static func start(fail: [String: Int] = [:], hang: [String] = []) async throws -> ManagementAPIPeer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-mgmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var command = ["python3", script.path, "--port", "0"]
        for (path, code) in fail.sorted(by: { $0.key < $1.key }) { command += ["--fail", "\(path)=\(code)"] }
        for path in hang { command += ["--hang", path] }
        let process = try PeerProcess(name: "management-api", command: command, directory: directory)
        var port: Int?
        _ = try await eventually(within: 60, every: .milliseconds(100)) {
            if let line = process.log.split(separator: "\n").first(where: { $0.hasPrefix("LISTENING ") }) {
                port = Int(line.dropFirst("LISTENING ".count))
                return true
            }
            guard process.isRunning else {
                throw PeerError(description: "management_api_server.py exited:\n\(process.logTail)")
            }
            return false
        }
        guard let port else {
            process.stop()
            throw PeerError(description: "management_api_server.py did not start within 60 s:\n\(process.logTail)")
        }
        return ManagementAPIPeer(port: port, process: process, directory: directory)
    }

    private init(port: Int, process: PeerProcess, directory: URL) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// What the server saw: PoweredOn, PXEBoots, Reboots and Calls.
    func state() async throws -> JSONValue {
        guard let answer = await Loopback.get(port: port, path: "/_state"), answer.status == 200 else {
            throw PeerError(description: "GET /_state failed:\n\(process.logTail)")
        }
        return try JSONParser.parse(answer.body)
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
