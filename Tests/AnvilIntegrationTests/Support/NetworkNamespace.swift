import AnvilSpawn
import Foundation
import Synchronization

/// A throwaway network namespace for tests that need real DHCP or a privileged port: a bridge
/// `br0` holding the server side's addresses, with one tap per VM, none of it visible outside.
///
/// `ip netns del` only drops the name: processes still inside keep the namespace (and its ports)
/// alive. So every process the test starts in it is registered here and killed by `delete()`,
/// which tests call from a `defer` so that it also runs when an expectation or a wait fails.
final class NetworkNamespace: Sendable {
    let name: String
    /// The first three octets of the namespace's /24, e.g. "10.99.73".
    let subnet: String
    /// The bridge's IPv4 address, `subnet`.1.
    let gateway: String
    private let ip: String
    private let children = Mutex<[ChildProcess]>([])
    private let daemons = Mutex<[pid_t]>([])
    private let deleted = Mutex(false)

    /// Creates the namespace with `br0` at `subnet`.1/24 and fd99::1/64, and the taps enslaved to it.
    init(subnet: String = "10.99.73", taps: [String] = ["tap0"]) throws {
        ip = try Peer.path("ip")
        name = "anvil-t-" + UUID().uuidString.prefix(8).lowercased()
        self.subnet = subnet
        gateway = subnet + ".1"
        try Self.run(ip, ["netns", "add", name])
        do {
            try inside("link", "set", "lo", "up")
            try inside("link", "add", "br0", "type", "bridge")
            // No STP listening/learning delay: firmware gives up on DHCP long before 15 s pass.
            try inside("link", "set", "br0", "type", "bridge", "forward_delay", "0")
            try inside("addr", "add", gateway + "/24", "dev", "br0")
            // An IPv6 prefix for dnsmasq's router advertisements: without them iPXE waits ≈15 s
            // for IPv6 autoconfiguration on every boot.
            try inside("-6", "addr", "add", "fd99::1/64", "dev", "br0")
            try inside("link", "set", "br0", "up")
            for tap in taps {
                try inside("tuntap", "add", "dev", tap, "mode", "tap")
                try inside("link", "set", tap, "master", "br0")
                try inside("link", "set", tap, "up")
            }
        } catch {
            delete()
            throw error
        }
    }

    /// The command prefix that runs a program inside the namespace (`TFTPDaemon(runAs:)`).
    var exec: [String] { [ip, "netns", "exec", name] }

    /// Starts `program` inside the namespace; `delete()` kills it.
    func start(_ program: String, _ arguments: [String]) throws -> ChildProcess {
        // `ip netns exec` execs the program, so the child's pid is the program's own.
        let child = try ChildProcess(URL(fileURLWithPath: ip), ["netns", "exec", name, program] + arguments)
        adopt(child)
        return child
    }

    /// Starts a daemon that forks into the background (and reports startup errors before it does)
    /// inside the namespace, and returns its pid, read from `pidFile`; `delete()` kills it.
    ///
    /// For programs that close the descriptors they inherit, such as dnsmasq: Foundation's
    /// `Process` on Linux learns that a child exited when a socket inherited by the child closes,
    /// then blocks its one monitoring thread in `waitpid` for that child. A long-running child
    /// that closes the socket at startup thus stalls exit detection for every `Process` in the
    /// test run until it dies. Run in the background, only the short-lived parent is waited for.
    @discardableResult
    func startDaemon(_ program: String, _ arguments: [String], pidFile: String) async throws -> pid_t {
        let result = try await ChildProcess.run(URL(fileURLWithPath: ip), ["netns", "exec", name, program] + arguments)
        guard result.status == 0 else {
            throw TestFailure("\(program) failed to start (\(result.status)): \(result.stdout)\(result.stderr)")
        }
        let text = (try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? ""
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw TestFailure("\(program) started but wrote no pid to \(pidFile): \(text)")
        }
        daemons.withLock { $0.append(pid) }
        return pid
    }

    /// Registers a process started elsewhere (e.g. `TFTPDaemon.child`) to be killed by `delete()`.
    func adopt(_ child: ChildProcess) {
        children.withLock { $0.append(child) }
    }

    /// Kills every registered process still running and deletes the namespace. Synchronous and
    /// idempotent, so it can run from a `defer` and again from `deinit`.
    func delete() {
        let first = deleted.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        for child in children.withLock({ $0 }) where child.isRunning {
            child.signal(SIGKILL)
        }
        for pid in daemons.withLock({ $0 }) {
            kill(pid, SIGKILL)
        }
        try? Self.run(ip, ["netns", "del", name])
    }

    deinit {
        delete()
    }

    private func inside(_ arguments: String...) throws {
        try Self.run(ip, ["-n", name] + arguments)
    }

    /// Runs `ip` to completion and fails with its stderr if it does not succeed.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let finished = try SpawnedProcess.run(executable, arguments)
        guard finished.succeeded else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed (\(finished.status)): \(finished.errorText)")
        }
    }
}
