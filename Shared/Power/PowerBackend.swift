/// One way of driving a server's power and next boot device: IPMI (RMCP+), Redfish or the
/// Sidero management API. bmcd picks one per Server and calls it one command at a time.
public protocol PowerBackend: Sendable {
    /// Whether the system is powered on.
    func powerState() async throws(PowerError) -> Bool
    /// Performs a power action. A cycle on a powered-off machine powers it on (Sidero #145).
    func power(_ action: PowerAction) async throws(PowerError)
    /// Sets the device the next boot (or every boot, when persistent) starts from.
    func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError)
    /// What the BMC says about itself, as flat key/value pairs for `bmc.info`.
    func info() async throws(PowerError) -> [String: String]
    /// Releases sessions and connections; the backend is not used afterwards.
    func shutdown() async
}

public enum PowerAction: String, Sendable, CaseIterable, Hashable {
    case on
    case off
    /// Off then on.
    case cycle
    /// Hard reset.
    case reset
    /// ACPI soft shutdown (graceful).
    case softOff
}

public enum BootDevice: String, Sendable, CaseIterable, Hashable {
    case pxe
    case disk
}

public enum BootFirmwareMode: String, Sendable, CaseIterable, Hashable {
    case uefi
    case bios
}

public struct BootDeviceRequest: Sendable, Hashable {
    public var device: BootDevice
    public var mode: BootFirmwareMode
    /// Every boot rather than the next one only.
    public var persistent: Bool

    public init(device: BootDevice, mode: BootFirmwareMode = .uefi, persistent: Bool = false) {
        self.device = device
        self.mode = mode
        self.persistent = persistent
    }
}

/// What went wrong, typed so it can reach the Server's status and the CLI as one clear line.
public enum PowerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing answered (no route, refused, or every retry timed out).
    case unreachable(String)
    /// Wrong user name or password, or the BMC refused the session.
    case authenticationFailed(String)
    /// The account lacks the privilege the command needs.
    case insufficientPrivilege(String)
    /// The BMC or system does not offer this command or value.
    case notSupported(String)
    /// The BMC answered with something it should not have (bad checksum, HMAC, completion code…).
    case protocolError(String)
    /// The Server's BMC settings cannot be used as they are (missing endpoint, secret…).
    case invalidConfiguration(String)
    /// The caller's deadline passed before the command finished.
    case deadlineExceeded(String)

    /// A stable machine-readable name, used as the condition reason and bus error data.
    public var reason: String {
        switch self {
        case .unreachable: "Unreachable"
        case .authenticationFailed: "AuthenticationFailed"
        case .insufficientPrivilege: "InsufficientPrivilege"
        case .notSupported: "NotSupported"
        case .protocolError: "ProtocolError"
        case .invalidConfiguration: "InvalidConfiguration"
        case .deadlineExceeded: "DeadlineExceeded"
        }
    }

    public var message: String {
        switch self {
        case .unreachable(let m), .authenticationFailed(let m), .insufficientPrivilege(let m), .notSupported(let m),
             .protocolError(let m), .invalidConfiguration(let m), .deadlineExceeded(let m):
            m
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let m): "BMC unreachable: \(m)"
        case .authenticationFailed(let m): "BMC authentication failed: \(m)"
        case .insufficientPrivilege(let m): "insufficient privilege: \(m)"
        case .notSupported(let m): "not supported: \(m)"
        case .protocolError(let m): "BMC protocol error: \(m)"
        case .invalidConfiguration(let m): "invalid BMC configuration: \(m)"
        case .deadlineExceeded(let m): "deadline exceeded: \(m)"
        }
    }
}
