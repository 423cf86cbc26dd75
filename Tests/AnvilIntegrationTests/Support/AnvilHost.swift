import AnvilBus
import AnvilStore
import Foundation

/// One Anvil "host" on this machine: `anvil up` with a state (and run) directory of its own, its
/// own port offset, and the store, Secret key and machine-token key every host shares.
final class AnvilHost: Sendable {
    static let services: [(name: String, port: Int)] = [
        ("tftpd", 9069), ("bootd", 8081), ("metadatad", 8082), ("bmcd", 9623), ("reconciler", 9080),
    ]

    let index: Int
    let state: TemporaryDirectory
    let offset: Int
    let environment: [String: String]
    let up: ChildProcess

    /// `secretsKey` and `tokenKey` are copied into the state directory (default paths, as on a real host).
    init(index: Int, offset: Int, storeURL: String, secretsKey: URL, tokenKey: URL, leaseDuration: String) throws {
        self.index = index
        self.offset = offset
        state = try TemporaryDirectory()
        try FileManager.default.copyItem(at: secretsKey, to: state.url.appendingPathComponent("secrets.key"))
        try FileManager.default.copyItem(at: tokenKey, to: state.url.appendingPathComponent("machine-token.key"))
        environment = ["ANVIL_STATE": state.path, "ANVIL_STORE": storeURL, "ANVIL_LEASE_DURATION": leaseDuration]
        up = try ChildProcess(BuiltProducts.url("anvil"), ["up", "--port-offset", "\(offset)", "--quiet"], environment: environment)
    }

    var bootURL: String { "http://127.0.0.1:\(8081 + offset)" }

    /// Runs this host's `anvil` CLI (same store, same state); requires status 0, returns stdout.
    @discardableResult
    func cli(_ arguments: String..., stdin: String? = nil) async throws -> String {
        let result = try await ChildProcess.run(BuiltProducts.url("anvil"), arguments, environment: environment, stdin: stdin)
        guard result.status == 0 else {
            throw TestFailure("host \(index): anvil \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout
    }

    /// The pid of this host's reconciler, from its bus socket.
    func reconcilerPID() async -> Int32? {
        let client = BusClient(socketPath: "\(state.path)/run/reconciler.sock", defaultTimeout: .seconds(2))
        let pid = try? await client.call("service.info")["pid"]?.intValue
        await client.close()
        return pid.map { Int32($0) }
    }

    /// Services whose `/healthz` does not answer 200 now.
    func unhealthy() async -> [String] {
        var failing: [String] = []
        for (name, port) in Self.services {
            let status = (try? await HTTPGet.fetch("http://127.0.0.1:\(port + offset)/healthz"))?.status
            if status != 200 { failing.append("\(name)=\(status.map(String.init) ?? "no answer")") }
        }
        return failing
    }

    /// Waits until every daemon answers `/healthz` with 200; the time it took.
    func waitHealthy(timeout: Duration) async throws -> Duration {
        let start = ContinuousClock.now
        var failing = await unhealthy()
        while !failing.isEmpty {
            guard ContinuousClock.now - start < timeout else {
                throw TestFailure("host \(index): \(failing.joined(separator: ", ")) after \(timeout); \(log("reconciler").suffix(1500))")
            }
            try await Task.sleep(for: .milliseconds(250))
            failing = await unhealthy()
        }
        return ContinuousClock.now - start
    }

    func log(_ service: String) -> String {
        (try? String(contentsOfFile: "\(state.path)/logs/\(service).log", encoding: .utf8)) ?? ""
    }

    /// Ctrl-C, as an operator would; true when it stopped cleanly.
    func stop() async -> Bool {
        guard up.isRunning else { return false }
        up.signal(SIGINT)
        return (try? await up.wait(timeout: .seconds(40)))?.status == 0
    }
}

/// A PostgreSQL schema of its own on the server in ANVIL_TEST_POSTGRES_URL, reached with psql.
struct SharedPostgres: Sendable {
    static let variable = "ANVIL_TEST_POSTGRES_URL"

    let baseURL: String
    let schema: String

    /// Fails (never skips) without a server to use.
    init() throws {
        guard let base = ProcessInfo.processInfo.environment[Self.variable], !base.isEmpty else {
            throw TestFailure("\(Self.variable) is not set: the multi-host tests need PostgreSQL (.ci/run starts it and sets "
                + "\(Self.variable)=postgres://anvil:anvil@127.0.0.1:5432/anvil)")
        }
        baseURL = base
        schema = "anvil_hosts_" + (0..<5).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    var storeURL: String { baseURL + (baseURL.contains("?") ? "&" : "?") + "schema=" + schema }

    /// One value from psql (`-At`), on the database of the base URL.
    func scalar(_ sql: String) async throws -> String {
        // psql takes the URL's own parameters but not Anvil's `schema`.
        let url = baseURL.split(separator: "?").first.map(String.init) ?? baseURL
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/psql"), [url, "-Atc", sql])
        guard result.status == 0 else { throw TestFailure("psql \(sql): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Connections of this schema's stores (application_name `anvil/<schema>`), and of the whole
    /// server; -1 when psql cannot connect (the server is full: other suites share it).
    func connections() async -> (schema: Int, server: Int) {
        guard let counts = try? await scalar(
            "SELECT count(*) FILTER (WHERE application_name = 'anvil/\(schema)') || ' ' || count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'") else { return (-1, -1) }
        let parts = counts.split(separator: " ").compactMap { Int($0) }
        return (parts.first ?? -1, parts.last ?? -1)
    }

    func drop() async throws {
        _ = try await scalar("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE")
    }

    /// `pg_ctlcluster <version> <cluster> restart` on the first cluster `pg_lsclusters` lists.
    static func restartServer() async throws {
        let list = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pg_lsclusters"), ["-h"])
        let fields = list.stdout.split(separator: "\n").first?.split(separator: " ").map(String.init) ?? []
        guard fields.count >= 2 else { throw TestFailure("pg_lsclusters -h: \(list.stdout) \(list.stderr)") }
        let restart = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/pg_ctlcluster"), [fields[0], fields[1], "restart"], timeout: .seconds(90))
        guard restart.status == 0 else { throw TestFailure("pg_ctlcluster restart: \(restart.stdout) \(restart.stderr)") }
    }
}

/// The parent pid of `pid` (/proc/<pid>/stat), nil when there is no such process.
func parentPID(of pid: Int32) -> Int32? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
}
