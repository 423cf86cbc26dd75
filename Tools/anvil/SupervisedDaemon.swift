import AnvilDaemon
import AnvilSpawn
import Foundation
import Synchronization

/// One child daemon under `anvil up`: started, logged to `logs/<service>.log` and the terminal,
/// restarted with backoff when it dies unexpectedly, stopped with SIGTERM (then SIGKILL).
final class SupervisedDaemon: Sendable {
    struct State {
        var process: SpawnedProcess?
        var stopping = false
        var restarts = 0
        var backoffSeconds = 1
        var startedAt = Date()
    }

    let service: String
    private let executable: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let logFile: FileHandle
    private let prefix: String
    private let quiet: Bool
    private let state: Mutex<State>

    init(service: String, executable: URL, arguments: [String], environment: [String: String], logURL: URL, quiet: Bool) throws {
        self.service = service
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: logURL)
        handle.seekToEndOfFile()
        self.logFile = handle
        self.prefix = service.padding(toLength: 10, withPad: " ", startingAt: 0) + "| "
        self.quiet = quiet
        self.state = Mutex(State())
    }

    var pid: Int32? { state.withLock { $0.process?.isRunning == true ? $0.process?.pid : nil } }

    /// Started with posix_spawn (Shared/Spawn/SpawnedProcess.swift; Foundation's `Process` can
    /// crash its parent at launch). Its output is read, and its end waited for, on threads of
    /// their own.
    func start() throws {
        let process = try state.withLock { current in
            let process = try SpawnedProcess(
                executable: executable.path, arguments: arguments, environment: environment, output: .pipe, error: .toOutput)
            current.startedAt = Date()
            current.process = process
            return process
        }
        if let output = process.outputDescriptor {
            OwnThread.detach { [weak self] in
                var splitter = LineSplitter()
                SpawnedProcess.readToEnd(output) { chunk in
                    for line in splitter.feed(Data(chunk)) { self?.emit(line) }
                }
                if let rest = splitter.flush() { self?.emit(rest) }
            }
        }
        OwnThread.detach { [weak self] in
            let exit = process.waitForExit()
            self?.exited(exit)
        }
    }

    private func emit(_ line: String) {
        StandardStream.write(Array((line + "\n").utf8), to: logFile.fileDescriptor)
        if !quiet { StandardStream.output.write(prefix + line + "\n") }
    }

    func note(_ message: String) {
        emit("anvil-up: \(message)")
    }

    private func exited(_ exit: SpawnedProcess.Exit) {
        let (stopping, delay) = state.withLock { current -> (Bool, Int) in
            current.process = nil
            if current.stopping { return (true, 0) }
            // A daemon that ran a while before dying starts again quickly; a crash loop backs off.
            if Date().timeIntervalSince(current.startedAt) > 30 { current.backoffSeconds = 1 }
            let delay = current.backoffSeconds
            current.backoffSeconds = min(current.backoffSeconds * 2, 30)
            current.restarts += 1
            return (false, delay)
        }
        if stopping { return }
        let how = if case .signalled(let signal) = exit { "was killed by signal \(signal)" } else { "exited with status \(exit.status)" }
        note("\(service) \(how); restarting in \(delay)s")
        Task {
            try? await Task.sleep(for: .seconds(delay))
            guard !self.state.withLock({ $0.stopping }) else { return }
            do {
                try self.start()
            } catch {
                self.note("cannot restart \(self.service): \(error)")
            }
        }
    }

    var restarts: Int { state.withLock { $0.restarts } }

    /// SIGTERM, then SIGKILL after the grace period.
    func stop(grace: Duration) async {
        let process = state.withLock { current -> SpawnedProcess? in
            current.stopping = true
            return current.process
        }
        guard let process, process.isRunning else { return }
        let pid = process.pid
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.process == nil }) { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
        note("\(service) did not stop within \(grace); killing it")
        kill(pid, SIGKILL)
    }
}
