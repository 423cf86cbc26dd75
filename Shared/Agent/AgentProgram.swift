#if canImport(Glibc)
import Glibc
#endif
import AnvilResources
import Foundation

/// `anvil-agent` as PID 1 of the agent initramfs (docs/agent.md): set up the system, bring up the
/// network, register, do what the answer says, reboot. It never exits: the kernel panics when
/// PID 1 does, so every path ends in `reboot(2)` (or power-off when `anvil.poweroff=1`).
public struct AgentProgram: Sendable {
    let log = ConsoleLog()
    /// Brings up networking; returns the hostname DHCP gave, if any. Injected by the executable.
    let network: @Sendable (KernelCommandLine, @escaping @Sendable (String) -> Void) async throws -> String?
    let bmc: @Sendable (@escaping @Sendable (String) -> Void) async -> BMCReport?

    public init(
        network: @escaping @Sendable (KernelCommandLine, @escaping @Sendable (String) -> Void) async throws -> String?,
        bmc: @escaping @Sendable (@escaping @Sendable (String) -> Void) async -> BMCReport?
    ) {
        self.network = network
        self.bmc = bmc
    }

    public func runAsInit() async -> Never {
        let log = self.log.sink
        log("starting (pid \(getpid()))")
        let setup = SystemSetup(log: log)
        setup.mountPseudoFileSystems()
        setup.loadModules()
        let commandLine = KernelCommandLine((try? String(contentsOfFile: "/proc/cmdline", encoding: .utf8)) ?? "")
        let action: SystemPower.Action = commandLine.powerOffWhenDone ? .powerOff : .reboot
        guard let endpoint = commandLine.endpoint else {
            await finish(action, after: .seconds(10), "no anvil.endpoint or sidero.endpoint on the kernel command line; nothing to talk to")
        }
        log("agent API at \(endpoint)\(commandLine.token == nil ? " (no machine token)" : ""), boot NIC \(commandLine.bootMAC ?? "unknown")")
        let hostname: String?
        do {
            hostname = try await network(commandLine, log)
        } catch {
            await finish(action, after: .seconds(10), "network set-up failed: \(error)")
        }
        let system = LinuxAgentSystem(log: log, hostname: hostname, bmc: { [bmc] in await bmc(log) })
        let api = HTTPAgentAPIClient(endpoint: endpoint, token: commandLine.token)
        let outcome = await AgentRunner(api: api, system: system, log: log).run()
        switch outcome {
        case .done: await finish(action, after: .seconds(3), "all steps done")
        case .notAccepted: await finish(action, after: .seconds(10), "waiting for acceptance")
        case .failed(let reason): await finish(action, after: .seconds(10), reason)
        }
    }

    /// Logs why, counts down, and reboots or powers off; if the kernel refuses, waits forever.
    private func finish(_ action: SystemPower.Action, after delay: Duration, _ why: String) async -> Never {
        log("\(why); \(action.rawValue) in \(Int(delay.inSeconds)) s")
        try? await Task.sleep(for: delay)
        log("\(action.rawValue) now")
        let refusal = SystemPower.perform(action)
        log("\(action.rawValue) refused: \(refusal); halting here")
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }
}
