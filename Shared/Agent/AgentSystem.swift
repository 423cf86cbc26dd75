import AnvilResources

/// A disk the agent may wipe.
public struct WipeTarget: Sendable, Equatable {
    /// e.g. `/dev/vda`.
    public var devicePath: String
    public var size: UInt64

    public init(devicePath: String, size: UInt64) {
        self.devicePath = devicePath
        self.size = size
    }
}

/// The machine as the agent's steps see it: Linux in production (`LinuxAgentSystem`), a fake in
/// the unit tests of `AgentRunner`.
public protocol AgentSystem: Sendable {
    /// The UUID the server registers under (SMBIOS type 1, as iPXE's `${uuid}` reads it), hostname, inventory.
    func registration() async throws -> Registration
    /// Global unicast addresses of every interface, as `InternalIP`.
    func addresses() async -> [NodeAddress]
    /// Writable, non-removable disks.
    func wipeTargets() async -> [WipeTarget]
    /// Wipes the disks in parallel, reporting the fraction done (0…1) as it goes; returns one line
    /// per disk saying how it was wiped.
    func wipe(_ targets: [WipeTarget], mode: WipeMode, progress: @escaping @Sendable (Double) -> Void) async throws -> [String]
    /// Sets up the BMC in band; nil when there is none or it failed (already logged).
    func setupBMC() async -> BMCReport?
}
