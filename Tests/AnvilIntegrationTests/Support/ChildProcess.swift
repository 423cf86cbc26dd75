import Foundation
import Synchronization

/// A child process whose output is collected, for driving real binaries from tests.
final class ChildProcess: Sendable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    private let process: Mutex<Process>
    private let output = LockedData()
    private let errors = LockedData()
    let pid: Int32

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ANVIL_") || key.hasPrefix("SIDERO_") { env[key] = nil }
        // Tests send traffic only to loopback: a reconciler must not fetch Talos from GitHub for
        // the default Environment (a closed loopback port fails at once).
        env["ANVIL_DEFAULT_ENVIRONMENT_URL"] = "http://127.0.0.1:9/talos"
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        let output = self.output
        let errors = self.errors
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { output.append(data) }
        }
        err.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { errors.append(data) }
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        pid = process.processIdentifier
        self.process = Mutex(process)
    }

    var stdout: String { output.text }
    var stderr: String { errors.text }
    var isRunning: Bool { process.withLock { $0.isRunning } }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to end; kills it and fails if it takes longer than `timeout`.
    func wait(timeout: Duration = .seconds(30)) async throws -> Result {
        var deadline = ContinuousClock.now + timeout
        var extended = false
        while isRunning {
            if ContinuousClock.now > deadline {
                // A zombie has exited; Foundation only has not reaped it yet (its monitor lags on
                // a loaded machine): give it longer rather than call the child hung.
                let state = Self.procState(pid)
                if state == "Z", !extended {
                    extended = true
                    deadline = ContinuousClock.now + .seconds(60)
                    continue
                }
                kill(pid, SIGKILL)
                throw TestFailure("process \(pid) did not exit within \(timeout) (state \(state ?? "gone")); output: \(stdout) \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the pipe handlers drain.
        try await Task.sleep(for: .milliseconds(100))
        let status = process.withLock { $0.terminationStatus }
        return Result(status: status, stdout: stdout, stderr: stderr)
    }

    /// The state letter of /proc/<pid>/stat (R, S, D, Z, …), nil when there is no such process.
    static func procState(_ pid: Int32) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ").first.map(String.init)
    }

    /// Waits until the collected stdout contains `text`.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !stdout.contains(text) {
            if ContinuousClock.now > deadline {
                throw TestFailure("no \"\(text)\" within \(timeout); stdout: \(stdout)\nstderr: \(stderr)")
            }
            if !isRunning, !stdout.contains(text) {
                throw TestFailure("process exited before printing \"\(text)\"; stdout: \(stdout)\nstderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs to completion and returns the result.
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> Result {
        try await ChildProcess(executable, arguments, environment: environment, stdin: stdin).wait(timeout: timeout)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Bytes appended from a pipe handler and read from the test.
final class LockedData: Sendable {
    private let data = Mutex(Data())

    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
