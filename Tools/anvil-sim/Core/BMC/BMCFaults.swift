/// How a simulated BMC misbehaves (docs/simulator.md "BMC"): the faults real BMCs show in the field,
/// so Anvil's power path can be exercised against them at fleet scale.
public struct BMCFaults: Sendable, Equatable {
    /// Fraction (0…1) of received datagrams silently dropped, as a lossy management network does.
    public var packetLoss: Double
    /// After a power-off the BMC keeps reporting "on" in Get Chassis Status for this long
    /// (Sidero PR #657: some BMCs update the power state seconds late). 0 is honest.
    public var powerLieSeconds: Double
    /// Each in-session answer is held this long: a slow BMC.
    public var commandDelay: Duration
    /// After this many datagrams answered the BMC never answers again: a frozen BMC.
    public var freezeAfter: Int?

    public init(packetLoss: Double = 0, powerLieSeconds: Double = 0, commandDelay: Duration = .zero, freezeAfter: Int? = nil) {
        self.packetLoss = packetLoss
        self.powerLieSeconds = powerLieSeconds
        self.commandDelay = commandDelay
        self.freezeAfter = freezeAfter
    }

    /// An honest, fast, reliable BMC.
    public static let none = BMCFaults()
}
