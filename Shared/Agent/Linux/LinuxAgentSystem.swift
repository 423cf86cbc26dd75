import AnvilResources
import Foundation

/// The real machine: SMBIOS and sysfs for the inventory, the disk wiper, the in-band BMC.
public struct LinuxAgentSystem: AgentSystem {
    let log: @Sendable (String) -> Void
    let sysfs: SysfsInventory
    let hostname: String?
    let bmc: @Sendable () async -> BMCReport?

    public init(log: @escaping @Sendable (String) -> Void, root: String = "/", hostname: String? = nil, bmc: @escaping @Sendable () async -> BMCReport?) {
        self.log = log
        sysfs = SysfsInventory(root: root)
        self.hostname = hostname
        self.bmc = bmc
    }

    public func registration() async throws -> Registration {
        let firmware = FirmwareInventory(root: sysfs.root, log: log).read()
        guard let uuid = firmware.system?.uuid else {
            throw AgentSetupError("the SMBIOS system UUID is missing or not settable; the server cannot be registered without it")
        }
        let disks = sysfs.disks()
        let nics = sysfs.interfaces()
        let hardware = HardwareInformation(
            system: firmware.system, compute: firmware.compute, memory: firmware.memory,
            storage: StorageInformation(
                totalSize: "\(disks.reduce(0) { $0 + $1.size } / 1_000_000_000) GB", deviceCount: disks.count, devices: disks.map(\.storageDevice)),
            network: NetworkInformation(
                interfaceCount: nics.count, interfaces: nics.map { $0.networkInterface(addresses: InterfaceAddresses.cidrs(of: $0.name)) }))
        return Registration(uuid: uuid, hostname: hostname, hardware: hardware)
    }

    public func addresses() async -> [NodeAddress] {
        sysfs.interfaces().flatMap { InterfaceAddresses.cidrs(of: $0.name) }
            .compactMap(InterfaceAddresses.reportable)
            .map { NodeAddress(type: "InternalIP", address: $0) }
    }

    public func wipeTargets() async -> [WipeTarget] {
        sysfs.disks().compactMap { disk in
            if disk.readOnly {
                log("wipe: skipping \(disk.devicePath): read-only")
                return nil
            }
            return WipeTarget(devicePath: disk.devicePath, size: disk.size)
        }
    }

    public func wipe(_ targets: [WipeTarget], mode: WipeMode, progress: @escaping @Sendable (Double) -> Void) async throws -> [String] {
        try await DiskWiper().wipe(targets, mode: mode, progress: progress)
    }

    public func setupBMC() async -> BMCReport? {
        await bmc()
    }
}

public struct AgentSetupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
