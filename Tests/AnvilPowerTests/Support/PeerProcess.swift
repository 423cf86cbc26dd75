import AnvilSpawn
import Foundation

/// A peer program a test starts and stops: its output goes to a log file the test can read,
/// and `stop()` ends it and waits for it.
final class PeerProcess: Sendable {
    let name: String
    let logURL: URL
    private let process: SpawnedProcess

    /// Runs `command`, its first word looked up on PATH, in `directory`.
    init(name: String, command: [String], directory: URL) throws {
        self.name = name
        logURL = directory.appendingPathComponent("\(name).log")
        guard let program = command.first, let executable = SpawnedProcess.locate(program) else {
            throw PeerError(description: "\(command.first ?? name) is not installed (not on PATH)")
        }
        process = try SpawnedProcess(
            executable: executable, arguments: Array(command.dropFirst()), environment: SpawnedProcess.currentEnvironment(),
            output: .replace(logURL.path), error: .toOutput, directory: directory.path)
    }

    var isRunning: Bool { process.isRunning }
    var processIdentifier: Int32 { process.pid }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// The last lines of the log, for failure messages.
    var logTail: String { log.split(separator: "\n").suffix(15).joined(separator: "\n") }

    /// SIGKILL: the peers keep nothing worth a clean exit.
    func stop() {
        guard process.isRunning else { return }
        process.signal(SIGKILL)
        _ = process.waitForExit()
    }

    deinit { stop() }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
}
