import Foundation

/// The agent's network step: DHCP on the boot NIC (else every NIC with a link), logged; the
/// hostname the lease gave, if any (docs/agent.md "Start-up").
public enum AgentNetwork {
    public static func configure(_ commandLine: KernelCommandLine, log: @escaping @Sendable (String) -> Void) async throws -> String? {
        let interfaces = try await NetworkSetup(log: log).configure(preferredMAC: commandLine.bootMAC)
        for interface in interfaces {
            log("network: \(interface.name) \(interface.mac) has \(interface.address)\(interface.router.map { " via \($0)" } ?? "")")
        }
        return interfaces.compactMap(\.hostname).first
    }
}
