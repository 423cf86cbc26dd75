import ArgumentParser
import Foundation

/// The fleet: how many servers, which Anvil, whether to create and power them.
struct FleetOptions: ParsableArguments {
    @Option(help: "Number of simulated servers.")
    var servers = 3

    @Option(help: "bootd's base URL.")
    var bootd = "http://127.0.0.1:8081"

    @Option(help: "Anvil's state directory (ANVIL_STATE; default ./.anvil), for --create-servers.")
    var state: String?

    @Flag(help: "Create the Servers (named by UUID, spec.bmc set) in Anvil's store; otherwise they are discovered when they boot.")
    var createServers = false

    @Flag(help: "With --create-servers: create them accepted.")
    var acceptServers = false

    @Flag(help: "Power every server on at start (default: off, so Anvil's BMC calls drive them).")
    var powerOn = false

    @Flag(help: "Fetch /boot.ipxe first and follow its chain line, as iPXE does (default: ask /ipxe directly).")
    var bootIpxe = false

    @Option(help: "How long the agent's wipe takes, in seconds.")
    var wipeSeconds = 5.0

    @Option(help: "Firmware POST time, from power-on or reset to the first boot device, in seconds (real servers: 30 s or more).")
    var postSeconds = 0.0

    @Option(help: "Seed of the identities (UUIDs, MACs) and of the fault choice.")
    var seed: UInt64 = 1

    var stateDirectory: URL {
        let path = state ?? ProcessInfo.processInfo.environment["ANVIL_STATE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".anvil"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    func check() throws {
        guard (1...60_000).contains(servers) else { throw ValidationError("--servers must be between 1 and 60000, got \(servers)") }
        guard bootd.hasPrefix("http://"), URL(string: bootd)?.host != nil else {
            throw ValidationError("--bootd must be an http:// URL such as http://127.0.0.1:8081, got \"\(bootd)\"")
        }
        guard wipeSeconds >= 0, wipeSeconds.isFinite else { throw ValidationError("--wipe-seconds must be 0 or more, got \(wipeSeconds)") }
        guard postSeconds >= 0, postSeconds.isFinite else { throw ValidationError("--post-seconds must be 0 or more, got \(postSeconds)") }
        if acceptServers && !createServers { throw ValidationError("--accept-servers needs --create-servers") }
        if createServers, !FileManager.default.fileExists(atPath: stateDirectory.path) {
            throw ValidationError("--create-servers: state directory \(stateDirectory.path) does not exist (--state or ANVIL_STATE)")
        }
    }
}
