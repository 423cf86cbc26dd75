import Synchronization

/// The machine's disks as far as booting cares: whether an OS is installed on them. The target
/// environment installs; a wipe removes it (the e2e test's disk marker, Tests/E2E).
public final class SimulatedDisk: Sendable {
    private let installed = Mutex<String?>(nil)

    public init(installedOS: String? = nil) {
        installed.withLock { $0 = installedOS }
    }

    /// What was installed (the environment's kernel path), or nil for a blank disk.
    public var installedOS: String? { installed.withLock { $0 } }

    public func install(_ os: String) { installed.withLock { $0 = os } }
    public func erase() { installed.withLock { $0 = nil } }
}
