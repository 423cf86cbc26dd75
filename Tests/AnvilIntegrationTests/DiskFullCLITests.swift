import AnvilStore
import Foundation
import Testing

/// The CLI on a state directory whose disk is full: `apply` fails naming "disk full" and the
/// database, `get` keeps working, nothing is corrupted, and `apply` works once space is freed.
@Suite struct DiskFullCLITests {
    @Test func applyFailsClearlyAndRecovers() async throws {
        let state = try TemporaryDirectory()
        try await Mounts.run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", state.path])
        defer { Mounts.unmount(state.path) }
        let anvil = AnvilCLI(state: state)
        _ = try await anvil.ok("apply", "-f", "-", stdin: Self.environment("before"))
        // Leave the database little room.
        let filler = state.url.appendingPathComponent("filler")
        let free = (try FileManager.default.attributesOfFileSystem(forPath: state.path)[.systemFreeSize] as? NSNumber)?.intValue ?? 0
        try Data(count: max(0, free - 128 * 1024)).write(to: filler)

        var failure: ChildProcess.Result?
        var applied = ["before"]
        for index in 0..<200 {
            let name = "env-\(index)-" + String(repeating: "x", count: 40)
            let label = String(repeating: "y", count: 60)
            let result = try await anvil.run(["apply", "-f", "-"], stdin: Self.environment(name, padding: label))
            if result.status != 0 {
                failure = result
                break
            }
            applied.append(name)
        }
        let failed = try #require(failure, "the disk never filled")
        print("anvil apply on a full disk: exit \(failed.status): \(failed.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        #expect(failed.stderr.contains("disk full"))
        #expect(failed.stderr.contains("\(state.path)/anvil.db"))

        // Reads keep working and show every acknowledged apply.
        let listed = try await anvil.ok("get", "environment", "-o", "name")
        for name in applied { #expect(listed.contains("environment/\(name)"), "\(name) is listed") }
        let check = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), ["\(state.path)/anvil.db", "PRAGMA integrity_check;"])
        #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")

        try FileManager.default.removeItem(at: filler)
        _ = try await anvil.ok("apply", "-f", "-", stdin: Self.environment("after"))
        #expect(try await anvil.ok("get", "environment", "after", "-o", "name").contains("environment/after"))
    }

    static func environment(_ name: String, padding: String = "") -> String {
        "apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: \(name)\n"
            + (padding.isEmpty ? "" : "  labels:\n  " + (0..<20).map { "  l\($0): \(padding)" }.joined(separator: "\n  ") + "\n")
            + "spec: {}\n"
    }
}
