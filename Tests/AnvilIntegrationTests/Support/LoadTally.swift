import Synchronization

/// Outcomes of the load the fault tests keep up while they kill daemons: shared by the
/// concurrent clients, read once at the end.
final class LoadTally: Sendable {
    struct Counts: Sendable {
        var tftpOK = 0, tftpFailed = 0
        var ipxeOK = 0, ipxeFailed = 0
        var registrations: [String] = []
        var registrationRetries = 0
        var applies: [String] = []
        var applyRetries = 0
    }

    private let counts = Mutex(Counts())
    private let stopped = Mutex(false)

    func update(_ change: (inout Counts) -> Void) { counts.withLock { change(&$0) } }
    var snapshot: Counts { counts.withLock { $0 } }
    var isStopped: Bool { stopped.withLock { $0 } }
    func stop() { stopped.withLock { $0 = true } }
}
