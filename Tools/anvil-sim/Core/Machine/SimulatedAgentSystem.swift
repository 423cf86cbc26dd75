import AnvilAgent
import AnvilResources
import Foundation

/// The machine as the real `AgentRunner` sees it (Shared/Agent/AgentSystem.swift): generated
/// inventory, its loopback address, a wipe that only takes time, and the BMC it was given.
struct SimulatedAgentSystem: AgentSystem {
    let identity: MachineIdentity
    /// The UUID reported (the identity's, or another machine's under the duplicate-UUID fault).
    let reportedUUID: String
    /// The MACs of this boot (the first changes per boot under the changing-MAC fault).
    let macs: [String]
    let bmc: BMCReport?
    let disk: SimulatedDisk
    let wipeDuration: Duration
    /// Set under the agent-dies fault: called halfway through the wipe; the wipe never returns.
    let dieMidWipe: (@Sendable () async -> Void)?
    let onWipeStart: @Sendable () -> Void

    func registration() async throws -> Registration {
        Registration(uuid: reportedUUID, hostname: nil, hardware: hardware)
    }

    var hardware: HardwareInformation {
        let disks = identity.diskSizes.enumerated().map { index, size in
            StorageDevice(
                type: "SSD", size: Int(size), productName: "SimDisk", serialNumber: "\(identity.serial)-D\(index)",
                name: "sd\(Character(UnicodeScalar(UInt8(97 + index))))", deviceName: "/dev/sd\(Character(UnicodeScalar(UInt8(97 + index))))")
        }
        let nics = macs.enumerated().map { index, mac in
            NetworkInterface(index: index + 2, name: "eth\(index)", flags: "up|broadcast|multicast", mtu: 1500, mac: mac,
                             addresses: index == 0 ? ["\(identity.address)/8"] : [])
        }
        let cores = identity.cpuCount
        return HardwareInformation(
            system: SystemInformation(
                uuid: reportedUUID, manufacturer: identity.manufacturer, productName: identity.productName, version: "1.0",
                serialNumber: identity.serial, skuNumber: "SIM-SKU", family: "anvil-sim"),
            compute: ComputeInformation(
                totalCoreCount: cores, totalThreadCount: cores * 2, processorCount: 1,
                processors: [Processor(manufacturer: "SimCPU", productName: "Sim \(cores)-core", speed: 2400, coreCount: cores, threadCount: cores * 2)]),
            memory: MemoryInformation(
                totalSize: "\(identity.memoryBytes >> 30) GB", moduleCount: 1,
                modules: [MemoryModule(manufacturer: "SimRAM", type: "DDR5", size: Int(identity.memoryBytes >> 20), speed: 4800)]),
            storage: StorageInformation(
                totalSize: "\(identity.diskSizes.reduce(0, +) >> 30) GB", deviceCount: disks.count, devices: disks),
            network: NetworkInformation(interfaceCount: nics.count, interfaces: nics))
    }

    func addresses() async -> [NodeAddress] {
        [NodeAddress(type: "InternalIP", address: identity.address)]
    }

    func wipeTargets() async -> [WipeTarget] {
        identity.diskSizes.enumerated().map { index, size in
            WipeTarget(devicePath: "/dev/sd\(Character(UnicodeScalar(UInt8(97 + index))))", size: size)
        }
    }

    /// Takes `wipeDuration` in ten steps, reporting progress; the OS is gone from the first step
    /// (a fast wipe clears the partition tables first).
    func wipe(_ targets: [WipeTarget], mode: WipeMode, progress: @escaping @Sendable (Double) -> Void) async throws -> [String] {
        onWipeStart()
        disk.erase()
        let steps = 10
        for step in 1...steps {
            try await Task.sleep(for: wipeDuration / steps)
            progress(Double(step) / Double(steps))
            if step == steps / 2, let dieMidWipe {
                await dieMidWipe()
                // Dead: never returns by itself; the machine cancels this boot on its next power event.
                while true { try await Task.sleep(for: .seconds(3600)) }
            }
        }
        return targets.map { "\($0.devicePath): \(mode.rawValue) wipe simulated in \(wipeDuration)" }
    }

    func setupBMC() async -> BMCReport? { bmc }
}
