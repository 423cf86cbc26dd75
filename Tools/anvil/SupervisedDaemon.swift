import AnvilDaemon
import Foundation
import Synchronization

/// One child daemon under `anvil up`: started, logged to `logs/<service>.log` and the terminal,
/// restarted with backoff when it dies unexpectedly, stopped with SIGTERM (then SIGKILL).
final class SupervisedDaemon: Sendable {
    struct State {
        var process: Process?
        var stopping = false
        var restarts = 0
        var backoffSeconds = 1
        var startedAt = Date()
        var splitter = LineSplitter()
    }

    let service: String
    private let executable: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let logFile: FileHandle
    private let prefix: String
    private let quiet: Bool
    // Process and FileHandle are not Sendable; every access to them goes through this lock.
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

    var pid: Int32? { state.withLock { $0.process?.isRunning == true ? $0.process?.processIdentifier : nil } }

    func start() throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            if data.isEmpty {
                handle.readabilityHandler = nil
                if let rest = self.state.withLock({ $0.splitter.flush() }) { self.emit(rest) }
                return
            }
            for line in self.state.withLock({ $0.splitter.feed(data) }) { self.emit(line) }
        }
        process.terminationHandler = { [weak self] finished in
            self?.exited(status: finished.terminationStatus, reason: finished.terminationReason)
        }
        try state.withLock { current in
            current.startedAt = Date()
            current.process = process
            try process.run()
        }
    }

    private func emit(_ line: String) {
        StandardStream.write(Array((line + "\n").utf8), to: logFile.fileDescriptor)
        if !quiet { StandardStream.output.write(prefix + line + "\n") }
    }

    func note(_ message: String) {
        emit("anvil-up: \(message)")
    }

    private func exited(status: Int32, reason: Process.TerminationReason) {
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
        let how = reason == .uncaughtSignal ? "was killed by signal \(status)" : "exited with status \(status)"
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
        let process = state.withLock { current -> Process? in
            current.stopping = true
            return current.process
        }
        guard let process, process.isRunning else { return }
        let pid = process.processIdentifier
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
