import AnvilSpawn
import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// The state directory on a small tmpfs that fills up: writes fail naming "disk full" and the
/// database, reads keep working, nothing is corrupted, and writes work again once space is freed.
@Suite struct DiskFullTests {
    @Test func writesFailClearlyAndRecoverOnAFullDisk() async throws {
        try await withSmallTmpfs(megabytes: 4) { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(server("before"))
            // Leave the database little room: a filler file takes most of the space.
            let filler = directory.appendingPathComponent("filler")
            try fillDisk(filler, leaving: 256 * 1024)

            let padding = String(repeating: "x", count: 16 * 1024)
            var failure: StoreError?
            var written = 0
            for index in 0..<400 {
                do {
                    _ = try await store.create(server("s\(index)", spec: ["accepted": false, "hostname": .string(padding)]))
                    written += 1
                } catch let error as StoreError {
                    failure = error
                    break
                }
            }
            let text = try #require(failure, "the disk never filled").description
            print("disk full after \(written) writes: \(text)")
            #expect(text.contains("disk full"))
            #expect(text.contains(directory.appendingPathComponent("anvil.db").path))

            // Reads keep working and see every acknowledged write.
            let listed = try await store.list(kind: "Server")
            #expect(listed.count == written + 1)
            #expect(try await store.integrityCheck() == "ok")

            // Space freed: writes work again, nothing was lost.
            try FileManager.default.removeItem(at: filler)
            _ = try await store.create(server("after"))
            #expect(try await store.list(kind: "Server").count == written + 2)
            #expect(try await store.integrityCheck() == "ok")
        }
    }
}

/// A tmpfs of `megabytes` mounted on a fresh directory for `body`, unmounted on every path
/// (lazily, so a store still holding files open cannot keep it mounted).
func withSmallTmpfs(megabytes: Int, _ body: (URL) async throws -> Void) async throws {
    let directory = URL(fileURLWithPath: "/tmp/anvil-full-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.path])
    defer { try? runTool("/bin/umount", ["-l", directory.path]) }
    try await body(directory)
}

/// Writes zeros to `file` until only about `leaving` bytes of its filesystem stay free.
func fillDisk(_ file: URL, leaving: Int) throws {
    let attributes = try FileManager.default.attributesOfFileSystem(forPath: file.deletingLastPathComponent().path)
    let free = (attributes[.systemFreeSize] as? NSNumber)?.intValue ?? 0
    try Data(count: max(0, free - leaving)).write(to: file)
}

func runTool(_ path: String, _ arguments: [String]) throws {
    let finished = try SpawnedProcess.run(path, arguments)
    guard finished.succeeded else {
        throw StoreError.database("\(path) \(arguments.joined(separator: " ")) failed: \(finished.errorText)")
    }
}
