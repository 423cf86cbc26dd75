import AnvilSpawn
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Each daemon started on a broken state directory fails at once with one clear line on stderr
/// naming the path, and a non-zero status; nothing is changed on disk.
@Suite struct StartupFaultTests {
    /// Starts `service` on `state` and expects it to fail with `fragments` on stderr.
    private func expectStartFails(_ service: String, state: String, _ fragments: [String], label: String) async throws {
        let result = try await ChildProcess.run(BuiltProducts.url(service), DaemonLaunch.arguments(service, state: state), timeout: .seconds(30))
        let line = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        print("\(service) on \(label): exit \(result.status): \(line)")
        #expect(result.status != 0, "\(service) on \(label) should fail")
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "\(service) on \(label): stderr lacks \"\(fragment)\": \(result.stderr)")
        }
    }

    @Test(arguments: DaemonLaunch.daemons)
    func garbageDatabase(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) })
        try garbage.write(to: state.url.appendingPathComponent("anvil.db"))
        try await expectStartFails(service, state: state.path, ["\(service): cannot open the store", "\(state.path)/anvil.db is not an SQLite database"], label: "garbage anvil.db")
        #expect(try Data(contentsOf: state.url.appendingPathComponent("anvil.db")) == garbage)
    }

    @Test(arguments: DaemonLaunch.daemons)
    func foreignDatabase(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let sql = "CREATE TABLE cookies (host TEXT, value TEXT); INSERT INTO cookies VALUES ('a', 'b');"
        let made = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), ["\(state.path)/anvil.db", sql])
        #expect(made.status == 0)
        try await expectStartFails(service, state: state.path, ["\(state.path)/anvil.db is not an Anvil store", "cookies"], label: "foreign anvil.db")
    }

    @Test(arguments: DaemonLaunch.daemons)
    func readOnlyStateDirectory(_ service: String) async throws {
        let state = try TemporaryDirectory()
        _ = try await Store.open(stateDirectory: state.url)
        // Root ignores permission bits: a read-only bind mount is what root cannot write through.
        try await Mounts.run("/bin/mount", ["--bind", state.path, state.path])
        defer { Mounts.unmount(state.path) }
        try await Mounts.run("/bin/mount", ["-o", "remount,bind,ro", state.path])
        try await expectStartFails(service, state: state.path, ["\(service): ", state.path, "Read-only file system"], label: "read-only state")
    }

    @Test(arguments: DaemonLaunch.daemons)
    func busSocketPathIsARegularFile(_ service: String) async throws {
        let state = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: state.url.appendingPathComponent("run"), withIntermediateDirectories: true)
        let socket = "\(state.path)/run/\(service).sock"
        try Data("not a socket".utf8).write(to: URL(fileURLWithPath: socket))
        try await expectStartFails(service, state: state.path, ["\(service): ", "\(socket) is in use: the file there is not a socket"], label: "socket path is a file")
        #expect(try String(contentsOfFile: socket, encoding: .utf8) == "not a socket", "the file is left alone")
    }

    @Test(arguments: DaemonLaunch.daemons)
    func missingOrWrongSecretsKey(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let keyPath = "\(state.path)/secrets.key"
        let store = try await Store.open(stateDirectory: state.url)
        _ = try await store.create(
            Resource(apiVersion: "v1", kind: "Secret", metadata: ObjectMeta(name: "bmc", namespace: "default"), body: ["stringData": ["pass": "x"]]))
        let original = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        try FileManager.default.removeItem(atPath: keyPath)
        try await expectStartFails(service, state: state.path, ["\(keyPath) is missing", "restore secrets.key"], label: "missing secrets.key")
        #expect(!FileManager.default.fileExists(atPath: keyPath), "no new key was made")

        try Data(repeating: 7, count: 32).write(to: URL(fileURLWithPath: keyPath))
        try await expectStartFails(service, state: state.path, ["\(keyPath) is not the key"], label: "wrong secrets.key")
        try original.write(to: URL(fileURLWithPath: keyPath))
    }
}

/// mount/umount for tests that need a filesystem root cannot write (tests run as root).
enum Mounts {
    static func run(_ tool: String, _ arguments: [String]) async throws {
        let result = try await ChildProcess.run(URL(fileURLWithPath: tool), arguments)
        guard result.status == 0 else { throw TestFailure("\(tool) \(arguments.joined(separator: " ")): \(result.stderr)") }
    }

    /// Lazily, so files still open cannot keep it mounted; never throws (cleanup paths).
    static func unmount(_ path: String) {
        _ = try? SpawnedProcess.run("/bin/umount", ["-l", path])
    }
}
