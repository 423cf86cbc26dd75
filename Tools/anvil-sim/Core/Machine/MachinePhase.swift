/// Where a simulated machine is in its life; the fleet counts machines per phase and time spent
/// in each (docs/simulator.md "Phases").
public enum MachinePhase: String, Sendable, CaseIterable, Codable {
    /// Powered off.
    case off
    /// Asking bootd what to boot (firmware/iPXE).
    case pxe
    /// The agent is registering, reporting, setting up the BMC.
    case agent
    /// The agent is wiping the disks.
    case wiping
    /// The agent marked the server wiped and is about to reboot or power off.
    case wiped
    /// The agent died mid-wipe (fault): nothing happens until the next power event.
    case agentDead = "agent-dead"
    /// The target environment is fetching its config and installing.
    case installing
    /// The install was reported; the machine reboots.
    case installed
    /// The installed OS runs from disk; idle until the next power event.
    case runningFromDisk = "running-from-disk"
    /// Nothing bootable (no answer worth booting and an empty disk): idle until the next power event.
    case noBootDevice = "no-boot-device"
    /// Something failed for good in this boot (logged); idle until the next power event.
    case failed
}

/// Milestones a machine has reached at least once, for `--until` (they outlive the phase).
public enum MachineMilestone: String, Sendable, CaseIterable, Codable {
    case registered, wiped, installed
    case bootedFromDisk = "booted-from-disk"
}
