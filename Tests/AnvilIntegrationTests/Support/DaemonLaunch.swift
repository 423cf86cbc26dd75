import AnvilBus
import AnvilJSON
import Foundation

/// Starting one daemon binary on a state directory, as the fault tests do.
enum DaemonLaunch {
    static let daemons = ["tftpd", "bootd", "metadatad", "bmcd", "reconciler"]

    /// Loopback only, ports picked by the kernel.
    static func arguments(_ service: String, state: String) -> [String] {
        ["--local", "--state", state, "--http-port", "0"] + (service == "tftpd" ? ["--tftp-port", "0"] : [])
    }

    /// Waits until the daemon answers `service.info` with its HTTP port; returns that port.
    static func waitUntilServing(_ service: String, state: String, child: ChildProcess) async throws -> Int {
        let client = BusClient(socketPath: "\(state)/run/\(service).sock", defaultTimeout: .seconds(2))
        defer { Task { await client.close() } }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let port = try? await client.call("service.info")["httpPort"]?.intValue {
                let healthz = try await HTTPGet.fetch("http://127.0.0.1:\(port)/healthz")
                if healthz.status == 200 { return Int(port) }
            }
            guard child.isRunning else { throw TestFailure("\(service) exited early: \(child.stdout) \(child.stderr)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(service) did not start serving: \(child.stdout) \(child.stderr)")
    }

    /// Polls until the process is gone (finer than ``ChildProcess/wait``); the time it took.
    static func timeToExit(_ child: ChildProcess, limit: Duration = .seconds(30)) async throws -> Duration {
        let start = ContinuousClock.now
        while child.isRunning {
            // A zombie has exited; only its reaping is pending.
            if ChildProcess.procState(child.pid) == "Z" { break }
            if ContinuousClock.now - start > limit { throw TestFailure("process \(child.pid) still running after \(limit)") }
            try await Task.sleep(for: .milliseconds(2))
        }
        return ContinuousClock.now - start
    }
}
