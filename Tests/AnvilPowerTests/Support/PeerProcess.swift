import Foundation

/// A peer program a test starts and stops: its output goes to a log file the test can read,
/// and `stop()` ends it and waits for it.
final class PeerProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; this wrapper only starts, reads and stops it.
    let name: String
    let logURL: URL
    private let process = Process()

    /// Runs `command` through /usr/bin/env so that it is looked up on PATH.
    init(name: String, command: [String], directory: URL) throws {
        self.name = name
        logURL = directory.appendingPathComponent("\(name).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw PeerError(description: "cannot create \(logURL.path)")
        }
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = directory
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var processIdentifier: Int32 { process.processIdentifier }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// The last lines of the log, for failure messages.
    var logTail: String { log.split(separator: "\n").suffix(15).joined(separator: "\n") }

    /// SIGKILL: a child spawned from a Swift concurrency thread inherits that thread's signal mask,
    /// in which SIGTERM is blocked, so a polite SIGTERM would wait forever. The peers keep nothing
    /// worth a clean exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
}
