/// What the BMC state machine reads of its chassis for one datagram: kept apart from
/// `SimulatedChassis` so the machine stays a pure function of bytes, state and this view.
public struct BMCChassisView: Sendable, Equatable {
    public var isPoweredOn: Bool
    public var nextBoot: SimulatedBootDevice?
    public var persistent: Bool

    public init(isPoweredOn: Bool, nextBoot: SimulatedBootDevice? = nil, persistent: Bool = false) {
        self.isPoweredOn = isPoweredOn
        self.nextBoot = nextBoot
        self.persistent = persistent
    }

    public init(_ chassis: SimulatedChassis) {
        let next = chassis.nextBoot
        self.init(isPoweredOn: chassis.isPoweredOn, nextBoot: next?.device, persistent: next?.persistent ?? false)
    }
}

/// What a command asks of the chassis; `SimulatedBMC` applies it to the `SimulatedChassis`.
public enum BMCChassisEffect: Sendable, Equatable {
    case powerOn
    case powerOff
    case powerCycle
    case reset
    case setNextBoot(SimulatedBootDevice?, persistent: Bool)

    public func apply(to chassis: SimulatedChassis) {
        switch self {
        case .powerOn: chassis.powerOn()
        case .powerOff: chassis.powerOff()
        case .powerCycle: chassis.powerCycle()
        case .reset: chassis.reset()
        case .setNextBoot(let device, let persistent): chassis.setNextBoot(device, persistent: persistent)
        }
    }
}
