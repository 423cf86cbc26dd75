import AnvilAgent
import Foundation
import Synchronization

/// One simulated server's firmware, agent and installed OS (docs/simulator.md "Machine"): it
/// follows its chassis's power events; each boot cancels the one before and walks the boot
/// order, asking bootd over HTTP from the machine's own loopback address.
public final class SimulatedMachine: Sendable {
    public let identity: MachineIdentity
    /// Its faults now; a test may change them while it runs (`setFaults`), e.g. an agent that
    /// dies on one wipe and not the next. Each boot reads them when it starts.
    public var faults: MachineFaults { currentFaults.withLock { $0 } }
    private let currentFaults: Mutex<MachineFaults>
    public let chassis: SimulatedChassis
    public let record: MachineRecord
    public let disk: SimulatedDisk
    /// What the agent reports as the BMC it set up (the simulated BMC's endpoint and credentials).
    public let bmc: BMCReport?
    let bootd: String
    /// Fetch `/boot.ipxe` and follow its chain line instead of asking `/ipxe` directly.
    let fetchBootScript: Bool
    let timings: MachineTimings
    let sink: @Sendable (String) -> Void
    /// Subscribed at creation, so no power event is missed before `run()` starts.
    private let events: AsyncStream<SimulatedPowerEvent>

    /// `bootd` is bootd's base URL (`http://127.0.0.1:8081`); `log` receives one line per step,
    /// starting with the machine's name.
    public init(
        identity: MachineIdentity, faults: MachineFaults = MachineFaults(), chassis: SimulatedChassis, bmc: BMCReport?,
        bootd: String, timings: MachineTimings = MachineTimings(), disk: SimulatedDisk = SimulatedDisk(), fetchBootScript: Bool = false,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.fetchBootScript = fetchBootScript
        self.identity = identity
        currentFaults = Mutex(faults)
        self.chassis = chassis
        self.bmc = bmc
        self.bootd = bootd.hasSuffix("/") ? String(bootd.dropLast()) : bootd
        self.timings = timings
        self.disk = disk
        record = MachineRecord(identity: identity, faults: faults)
        sink = log
        events = chassis.events()
    }

    func log(_ line: String) { sink("\(identity.name) \(line)") }

    /// Changes the machine's faults from its next boot on.
    public func setFaults(_ faults: MachineFaults) {
        currentFaults.withLock { $0 = faults }
    }

    /// Follows power events until cancelled. The machine's HTTP client lives as long as this.
    public func run() async {
        let http = MachineHTTPClient(localAddress: identity.address, record: record)
        var current: Task<Void, Never>?
        for await event in events {
            if let previous = current {
                previous.cancel()
                await previous.value
                current = nil
            }
            switch event {
            case .off:
                record.enter(.off)
                log("power off")
            case .boot(let device):
                record.countBoot()
                let bootNumber = chassis.bootCount
                log("power on: boot \(bootNumber) from \(device.rawValue)")
                current = Task { await self.boot(from: device, bootNumber: bootNumber, http: http) }
            }
        }
        current?.cancel()
        await current?.value
        await http.shutdown()
    }

    /// The firmware: the device asked for, then the rest of the boot order.
    func boot(from device: SimulatedBootDevice, bootNumber: Int, http: MachineHTTPClient) async {
        if timings.post > .zero {
            do { try await Task.sleep(for: timings.post) } catch { return }  // powered off or reset during POST
        }
        let wire = MachineNetworkIdentity(identity: identity, faults: faults, bootNumber: bootNumber)
        let order = [device] + chassis.bootOrder.filter { $0 != device }
        for candidate in order {
            if Task.isCancelled { return }
            switch candidate {
            case .network:
                switch await NetworkBoot(machine: self, http: http, wire: wire).run() {
                case .done: return
                case .nextDevice: continue
                case .sanboot:
                    if bootDisk() { return }
                    log("sanboot: the disk boots nothing")
                    record.enter(.noBootDevice)
                    return
                }
            case .disk:
                if bootDisk() { return }
                log("disk: nothing bootable on it")
            }
        }
        if Task.isCancelled { return }
        record.enter(.noBootDevice)
        log("no bootable device; idle until the next power event")
    }

    /// Runs the installed OS if there is one.
    private func bootDisk() -> Bool {
        guard let os = disk.installedOS else { return false }
        record.enter(.runningFromDisk)
        record.reach(.bootedFromDisk)
        log("disk: booted \(os); running")
        return true
    }

    /// Reboots, or powers off when the kernel arguments ask for it (`anvil.poweroff=1`).
    func finish(powerOff: Bool, after delay: Duration, _ why: String) async {
        log("\(why); \(powerOff ? "power off" : "reboot") in \(delay)")
        do { try await Task.sleep(for: delay) } catch { return }
        if powerOff { chassis.powerOff() } else { chassis.reboot() }
    }
}
