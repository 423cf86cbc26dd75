import AnvilSpawn
import Foundation
import Synchronization

/// A child process whose output is collected, for driving real binaries from tests. Started with
/// posix_spawn (`SpawnedProcess`), not Foundation's `Process`, whose launch crashes now and then
/// in a process with many open descriptors (Shared/Spawn/SpawnedProcess.swift).
final class ChildProcess: Sendable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    private let process: SpawnedProcess
    private let output = LockedData()
    private let errors = LockedData()
    /// Set once both pipes reached their end (the child and any it left behind closed them).
    private let drained = DrainedPipes()
    let pid: Int32

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("ANVIL_") || key.hasPrefix("SIDERO_") { env[key] = nil }
        // Tests send traffic only to loopback: a reconciler must not fetch Talos from GitHub for
        // the default Environment (a closed loopback port fails at once).
        env["ANVIL_DEFAULT_ENVIRONMENT_URL"] = "http://127.0.0.1:9/talos"
        env.merge(environment) { _, new in new }
        process = try SpawnedProcess(executable: executable.path, arguments: arguments, environment: env, input: stdin != nil ? .pipe : .discard)
        pid = process.pid
        for (descriptor, sink) in [(process.outputDescriptor, output), (process.errorDescriptor, errors)] {
            guard let descriptor else { continue }
            let drained = self.drained
            // Blocking reads on threads of their own, never on the cooperative pool.
            Thread.detachNewThread {
                SpawnedProcess.readToEnd(descriptor) { sink.append(Data($0)) }
                drained.one()
            }
        }
        if let stdin, let descriptor = process.inputDescriptor {
            let bytes = Array(stdin.utf8)
            Thread.detachNewThread { SpawnedProcess.writeAndClose(descriptor, bytes) }
        }
    }

    var stdout: String { output.text }
    var stderr: String { errors.text }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) {
        process.signal(number)
    }

    /// Waits for the process to end; kills it and fails if it takes longer than `timeout`.
    func wait(timeout: Duration = .seconds(30)) async throws -> Result {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline {
                let state = Self.procState(pid)
                kill(pid, SIGKILL)
                throw TestFailure("process \(pid) did not exit within \(timeout) (state \(state ?? "gone")); output: \(stdout) \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the readers take the last bytes (a grandchild may hold a pipe open: not forever).
        for _ in 0..<50 where drained.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        return Result(status: process.exitIfEnded?.status ?? -1, stdout: stdout, stderr: stderr)
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

/// How many of a child's output pipes reached their end.
final class DrainedPipes: Sendable {
    private let value = Mutex(0)

    func one() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
