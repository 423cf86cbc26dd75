import AnvilAgent
import Foundation

/// PID 1 of the agent initramfs, or a tool when given a subcommand (docs/agent.md).
@main
enum AgentMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // No argument as PID 1 (the initramfs' /init), or `run`: the agent itself.
        if arguments.first == "run" || (arguments.isEmpty && getpid() == 1) {
            await AgentProgram(network: AgentNetwork.configure, bmc: AgentBMC.setUp).runAsInit()
        }
        let status: Int32
        switch arguments.first {
        case "setup": status = AgentTools.setup()
        case "bmc": status = await BMCSetupCommand.run(arguments: Array(arguments.dropFirst()))
        case "dhcp": status = await DHCPProbeCommand.run(arguments: Array(arguments.dropFirst()))
        case "inventory": status = await AgentTools.inventory(arguments: Array(arguments.dropFirst()))
        case "wipe": status = await AgentTools.wipe(arguments: Array(arguments.dropFirst()))
        default:
            FileHandle.standardError.write(Data("""
                usage: anvil-agent [run]          the discovery agent (PID 1 of the agent initramfs)
                       anvil-agent setup              mount /proc, /sys, /dev… and load /etc/anvil/modules
                       anvil-agent inventory [--root DIR]
                       anvil-agent wipe --mode fast|full DEVICE...
                       anvil-agent bmc [--device /dev/ipmi0] [--user sidero] [--channel 1]
                       anvil-agent dhcp (--interface NAME | --mac MAC | --all) [--timeout S] [--no-resolv-conf] [--no-hostname]

                """.utf8))
            status = 2
        }
        exit(status)
    }
}
