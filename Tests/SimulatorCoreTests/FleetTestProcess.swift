import Foundation
import Synchronization

/// A child process for the fleet's real-process test, its output going to a file the test reads.
final class FleetTestProcess: Sendable {
    private let process: Mutex<Process>
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
        let handle = try FileHandle(forWritingTo: output)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = Mutex(process)
        outputFile = output
    }

    /// Runs a command to completion (the `anvil` CLI); returns its exit status and output.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String], in directory: URL) async throws -> (status: Int32, output: String) {
        let output = directory.appendingPathComponent("cli-\(UInt32.random(in: 0...UInt32.max)).log")
        let child = try FleetTestProcess(executable, arguments, environment: environment, output: output)
        while child.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (child.process.withLock { $0.terminationStatus }, child.output)
    }

    var isRunning: Bool { process.withLock { $0.isRunning } }

    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    func waitForOutput(_ text: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return output.contains(text)
    }

    /// SIGINT (anvil up stops its daemons), then SIGKILL if it is still there after 20 s.
    func stop() {
        process.withLock { process in
            guard process.isRunning else { return }
            process.interrupt()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }
}
