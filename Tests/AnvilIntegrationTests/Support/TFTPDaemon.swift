import Foundation

/// A tftpd process serving a scratch root, started for a test and stopped when released.
final class TFTPDaemon: Sendable {
    /// The state directory (store, logs): an ``AnvilCLI`` on it sees tftpd's boot events.
    let state: TemporaryDirectory
    private let work: TemporaryDirectory
    let child: ChildProcess
    /// The UDP port it listens on (the kernel's pick unless one was asked for).
    let port: Int
    /// The served root.
    let root: String
    /// The HTTP port of /metrics and /healthz.
    let httpPort: Int

    /// Starts tftpd on 127.0.0.1 (unless `extraArguments` say otherwise) with `files` written into
    /// its root first. Per-client limits are off unless the test sets them: tests come from one IP.
    init(
        files: [String: [UInt8]] = [:], extraArguments: [String] = [], port: Int = 0,
        address: String = "127.0.0.1", runAs prefix: [String] = [], limits: Bool = false, unprivileged: Bool = false
    ) async throws {
        state = try TemporaryDirectory()
        work = try TemporaryDirectory()
        // A daemon run as another user (`runAs`) writes its state and reads the root.
        if unprivileged {
            chmod(state.path, 0o777)
            chmod(work.path, 0o755)
        }
        root = work.path + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if unprivileged { chmod(root, 0o777) }  // tftpd installs the iPXE binaries into its root
        for (name, bytes) in files {
            let path = root + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        var arguments = [
            "--local", "--state", state.path, "--http-port", "0", "--tftp-address", address,
            "--tftp-port", "\(port)", "--tftp-root", root, "--log-level", "debug",
        ]
        if !limits { arguments += ["--max-transfers-per-client", "0", "--rrq-rate-per-client", "0"] }
        arguments += extraArguments
        let executable: URL
        if prefix.isEmpty {
            executable = BuiltProducts.url("tftpd")
        } else {
            executable = URL(fileURLWithPath: prefix[0])
            arguments = Array(prefix.dropFirst()) + [BuiltProducts.url("tftpd").path] + arguments
        }
        child = try ChildProcess(executable, arguments)
        try await child.waitForOutput("msg=\"tftp listening\"")
        try await child.waitForOutput("msg=\"http listening\"")
        self.port = try Self.field("port", after: "msg=\"tftp listening\"", in: child.stdout)
        httpPort = try Self.field("port", after: "msg=\"http listening\"", in: child.stdout)
    }

    /// Waits until the log holds a line containing every fragment, and returns it.
    func waitForLogLine(containing fragments: [String], timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = child.stdout.split(separator: "\n").first(where: { line in fragments.allSatisfy { line.contains($0) } }) {
                return String(line)
            }
            if ContinuousClock.now > deadline {
                throw TestFailure("no log line with \(fragments) within \(timeout); log:\n\(child.stdout.suffix(4000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func stop() async throws -> ChildProcess.Result {
        child.signal(SIGTERM)
        return try await child.wait(timeout: .seconds(20))
    }

    deinit {
        if child.isRunning { child.signal(SIGKILL) }
    }

    static func field(_ name: String, after marker: String, in log: String) throws -> Int {
        guard let line = log.split(separator: "\n").first(where: { $0.contains(marker) }),
              let range = line.range(of: " \(name)="),
              let value = Int(line[range.upperBound...].prefix(while: \.isNumber)) else {
            throw TestFailure("no \(name)= in the line with \(marker): \(log)")
        }
        return value
    }

    /// Deterministic pseudo-random content (so a failure is reproducible).
    static func content(size: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: size)
        var index = 0
        while index < size {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            withUnsafeBytes(of: state) { word in
                for byte in word where index < size {
                    bytes[index] = byte
                    index += 1
                }
            }
        }
        return bytes
    }
}

/// Finds a program the tests drive; a missing peer fails the test (`.ci/run` installs them).
enum Peer {
    static func path(_ name: String, searching extra: [String] = []) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/sbin", "/sbin", "/usr/local/sbin"] + extra
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        throw TestFailure("\(name) is not installed: .ci/run installs the real peers (apt-get install); run it or install \(name)")
    }
}
