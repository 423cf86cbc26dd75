import AnvilSpawn
import Foundation

/// A child process for the fleet's real-process test, its output going to a file the test reads.
/// posix_spawn (`SpawnedProcess`), not Foundation's `Process`: its launch crashes now and then in
/// a process holding as many sockets as a fleet's (Shared/Spawn/SpawnedProcess.swift).
final class FleetTestProcess: Sendable {
    private let process: SpawnedProcess
    let outputFile: URL

    /// Executables built by the same `swift build` as this test bundle sit beside it.
    static func builtProduct(_ name: String) -> URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while url.pathExtension == "xctest" { url.deleteLastPathComponent() }
        return url.appendingPathComponent(name)
    }

    init(_ executable: URL, _ arguments: [String], environment: [String: String], output: URL) throws {
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process = try SpawnedProcess(
            executable: executable.path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            output: .append(output.path), error: .append(output.path))
        outputFile = output
    }

    /// Runs a command to completion (the `anvil` CLI); returns its exit status and output.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String], in directory: URL) async throws -> (status: Int32, output: String) {
        let output = directory.appendingPathComponent("cli-\(UInt32.random(in: 0...UInt32.max)).log")
        let child = try FleetTestProcess(executable, arguments, environment: environment, output: output)
        while child.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (child.process.exitIfEnded?.status ?? -1, child.output)
    }

    var isRunning: Bool { process.isRunning }

    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    func waitForOutput(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return output.contains(text)
    }

    /// SIGINT (anvil up stops its daemons), then SIGKILL if it is still there after 20 s. Waits
    /// with `Task.sleep`, never blocking a thread of the cooperative pool (docs/architecture.md, Tests).
    func stop() async {
        guard process.isRunning else { return }
        process.signal(SIGINT)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.signal(SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }

    /// SIGKILL without waiting: the safety net in a `defer`, for a test that threw before `stop`
    /// (anvil up's daemons follow it out: they watch their supervisor).
    func kill() {
        if process.isRunning { process.signal(SIGKILL) }
    }
}
