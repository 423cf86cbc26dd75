import AnvilSpawn
import Foundation

/// Runs a real tool (cpio, xz) as the oracle for what this library writes.
enum HostTool {
    struct Result: Sendable {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `tool` (looked up on PATH) with `arguments`, stdin from a file, output captured through files.
    /// The wait runs on a thread of its own, never on the cooperative pool (docs/architecture.md, Tests).
    static func run(_ tool: String, _ arguments: [String], stdin: URL? = nil, in directory: URL? = nil) async throws -> Result {
        try await OwnThread.run { try blockingRun(tool, arguments, stdin: stdin, in: directory) }
    }

    private static func blockingRun(_ tool: String, _ arguments: [String], stdin: URL?, in directory: URL?) throws -> Result {
        let scratch = try TemporaryTestDirectory()
        let outURL = scratch.url.appendingPathComponent("out")
        let errURL = scratch.url.appendingPathComponent("err")
        guard let executable = SpawnedProcess.locate(tool) else { throw SpawnError(executable: tool, call: "PATH lookup", code: ENOENT) }
        let process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: SpawnedProcess.currentEnvironment(),
            input: stdin.map { .file($0.path) } ?? .discard, output: .replace(outURL.path), error: .replace(errURL.path),
            directory: directory?.path)
        let exit = process.waitForExit()
        return Result(
            status: exit.status, stdout: try Data(contentsOf: outURL),
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

/// A scratch directory removed when the value goes away.
final class TemporaryTestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-initramfs-test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
