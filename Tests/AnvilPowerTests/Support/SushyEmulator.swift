import AnvilSpawn
import AnvilJSON
import Foundation

/// A real Redfish service for the tests: `sushy-emulator` (pip sushy-tools) with its fake driver,
/// on 127.0.0.1 and a free port, in a directory of its own (config, state, htpasswd, log).
/// A missing emulator fails the test that needs it.
final class SushyEmulator: Sendable {
    static let user = "admin"
    static let password = "password"
    /// bcrypt of "password", the only digest sushy accepts; made with
    /// python3 -c "import bcrypt; print(bcrypt.hashpw(b'password', bcrypt.gensalt(rounds=4)).decode())"
    static let htpasswd = "admin:$2b$04$EcQodWoDQ7shlQes0QFRjOG55AAjHcQDhpDi95F67hw3p0la6BJOW\n"

    let port: Int
    let directory: URL
    let isTLS: Bool
    let hasSessionLayer: Bool
    let process: PeerProcess

    var endpoint: String { "\(isTLS ? "https" : "http")://\(Loopback.host):\(port)" }

    /// Peers/redfish_session_layer.py: the same emulator behind Redfish sessions and ETags.
    struct SessionLayer {
        /// Sessions are dropped after this many requests (0: never).
        var expireAfter = 0
        /// A user whose sessions may only read (403 for anything else): viewer / view.
        static let readonlyUser = ("viewer", "view")
    }

    /// Starts the emulator with one fake system per id, all off, and waits until it answers.
    /// - Parameters:
    ///   - authentication: require HTTP basic authentication (htpasswd file).
    ///   - tls: serve https with a fresh self-signed certificate for 127.0.0.1.
    ///   - sessions: put the session/ETag layer in front (then `user`/`password` open sessions).
    static func start(
        systems: [String] = ["system-1"], authentication: Bool = false, tls: Bool = false, sessions: SessionLayer? = nil
    ) async throws -> SushyEmulator {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-sushy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try Loopback.freePort()
        let fakeSystems = systems.map { "{'uuid': '\($0)', 'name': '\($0)', 'power_state': 'Off', 'nics': []}" }
        var config = """
            SUSHY_EMULATOR_STATE_DIR = '\(directory.path)/state'
            SUSHY_EMULATOR_FAKE_SYSTEMS = [\(fakeSystems.joined(separator: ", "))]

            """
        if authentication {
            try htpasswd.write(to: directory.appendingPathComponent("htpasswd"), atomically: true, encoding: .utf8)
            config += "SUSHY_EMULATOR_AUTH_FILE = '\(directory.path)/htpasswd'\n"
        }
        try config.write(to: directory.appendingPathComponent("emulator.conf"), atomically: true, encoding: .utf8)
        var command = commandLine(directory: directory, port: port)
        if let sessions {
            let (viewer, view) = SessionLayer.readonlyUser
            command = ["python3", sessionLayerScript.path, "--user", user, "--password", password,
                       "--readonly-user", "\(viewer):\(view)", "--expire-after", "\(sessions.expireAfter)"]
                + command.dropFirst()
        }
        if tls {
            try await makeSelfSignedCertificate(in: directory)
            command += ["--ssl-certificate", "\(directory.path)/cert.pem", "--ssl-key", "\(directory.path)/key.pem"]
        }
        let process = try PeerProcess(name: "sushy-emulator", command: command, directory: directory)
        let emulator = SushyEmulator(
            port: port, directory: directory, isTLS: tls, hasSessionLayer: sessions != nil, process: process)
        try await emulator.waitUntilReady()
        return emulator
    }

    /// The exact command the tests run.
    static func commandLine(directory: URL, port: Int) -> [String] {
        ["sushy-emulator", "--config", "\(directory.path)/emulator.conf", "--fake", "-i", Loopback.host, "-p", "\(port)"]
    }

    static var sessionLayerScript: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers/redfish_session_layer.py")
    }

    private init(port: Int, directory: URL, isTLS: Bool, hasSessionLayer: Bool, process: PeerProcess) {
        self.port = port
        self.directory = directory
        self.isTLS = isTLS
        self.hasSessionLayer = hasSessionLayer
        self.process = process
    }

    /// Until `GET /redfish/v1/` answers (with TLS: until the port accepts connections).
    private func waitUntilReady() async throws {
        let ready = try await eventually(within: 60, every: .milliseconds(250)) {
            guard process.isRunning else {
                throw PeerError(description: "sushy-emulator exited (is pip sushy-tools installed?):\n\(process.logTail)")
            }
            if isTLS { return await Loopback.isListening(port: port) }
            return await Loopback.get(port: port, path: "/redfish/v1/")?.status == 200
        }
        guard ready else {
            stop()
            throw PeerError(description: "sushy-emulator did not answer on port \(port) within 60 s:\n\(process.logTail)")
        }
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The system resource as the emulator shows it now (plain http only).
    /// Behind the session layer this opens a session of its own (one more login in `sessions()`).
    func system(_ id: String) async throws -> JSONValue {
        let path = "/redfish/v1/Systems/\(id)"
        let answer: Loopback.Answer?
        if hasSessionLayer {
            let login = await Loopback.exchange(
                port: port, method: "POST", path: "/redfish/v1/SessionService/Sessions",
                body: "{\"UserName\": \"\(Self.user)\", \"Password\": \"\(Self.password)\"}")
            guard let token = login?.headers["x-auth-token"] else {
                throw PeerError(description: "session login failed:\n\(process.logTail)")
            }
            answer = await Loopback.exchange(port: port, path: path, headers: [("X-Auth-Token", token)])
        } else {
            answer = await Loopback.get(port: port, path: path, basicAuth: (Self.user, Self.password))
        }
        guard let answer, answer.status == 200 else {
            throw PeerError(description: "GET \(path) failed:\n\(process.logTail)")
        }
        return try JSONParser.parse(answer.body)
    }

    /// The session layer's counts: logins, failedLogins, deleted, expired, live.
    func sessions() async throws -> JSONValue {
        guard let answer = await Loopback.get(port: port, path: "/_sessions"), answer.status == 200 else {
            throw PeerError(description: "GET /_sessions failed:\n\(process.logTail)")
        }
        return try JSONParser.parse(answer.body)
    }

    /// How many `ComputerSystem.Reset` requests the system has received (from the access log).
    func resetRequests(_ id: String) -> Int {
        let line = "\"POST /redfish/v1/Systems/\(id)/Actions/ComputerSystem.Reset HTTP/1.1\" 204"
        return process.log.components(separatedBy: line).count - 1
    }

    private static func makeSelfSignedCertificate(in directory: URL) async throws {
        let openssl = try await SpawnedProcess.runInBackground("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", "\(directory.path)/key.pem", "-out", "\(directory.path)/cert.pem",
            "-subj", "/CN=\(Loopback.host)", "-addext", "subjectAltName=IP:\(Loopback.host)",
        ])
        guard openssl.succeeded else {
            throw PeerError(description: "openssl could not make a self-signed certificate")
        }
    }
}
