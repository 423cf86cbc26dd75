import AnvilStore
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One active reconciler (docs/architecture.md "Store", leases): work runs only while this process holds the store lease,
/// renewed every `renewInterval`; it is cancelled when the lease is lost, and the lease is handed
/// back on shutdown so a successor need not wait for it to expire.
struct LeaderLease: Sendable {
    static let name = "reconciler"

    let store: Store
    /// Unique per process: `<host>/<pid>/<bus name>`.
    let holder: String
    let duration: Duration
    let renewInterval: Duration
    let logger: Logger

    init(store: Store, busName: String, duration: Duration = .seconds(15), renewInterval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        holder = "\(Self.hostName())/\(ProcessInfo.processInfo.processIdentifier)/\(busName)"
        self.duration = duration
        self.renewInterval = renewInterval
        self.logger = logger
    }

    /// Fences store writes by this lease (``WriteFence``).
    var fence: WriteFence { WriteFence(lease: Self.name, holder: holder) }

    /// Runs `work` whenever the lease is held, until cancelled.
    func whileLeading(_ work: @escaping @Sendable () async -> Void) async {
        while await campaign() {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await work() }
                group.addTask { await keepRenewed() }
                // Whichever ends first (cancellation or a lost lease) ends the other.
                _ = await group.next()
                group.cancelAll()
            }
        }
        // A fresh task: this one is cancelled, and the store refuses work to cancelled tasks.
        let (store, holder) = (self.store, self.holder)
        _ = await Task { try? await store.releaseLease(name: Self.name, holder: holder) }.value
    }

    /// Waits until the lease is ours; false when cancelled first.
    private func campaign() async -> Bool {
        var announced = false
        while !Task.isCancelled {
            do {
                if try await store.acquireLease(name: Self.name, holder: holder, duration: duration) {
                    logger.info("reconciler lease acquired", metadata: ["holder": "\(holder)"])
                    return true
                }
                if !announced {
                    let current = try? await store.lease(name: Self.name)
                    logger.info("another reconciler is active; standing by", metadata: ["holder": "\(current?.holder ?? "?")"])
                    announced = true
                }
            } catch {
                if Task.isCancelled { return false }
                logger.warning("cannot take the reconciler lease", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: renewInterval)
        }
        return false
    }

    /// Renews until the lease is lost (someone else took it, or it could not be renewed before
    /// expiring) or the task is cancelled. A renewal that does not answer (a PostgreSQL
    /// restarting, a store busy past its timeout) is not waited for past the point where the lease
    /// could expire: the expiry is measured from when the last successful renewal was *sent* (the
    /// store stamps it later), so this process stops leading before any other can start.
    private func keepRenewed() async {
        var lastSent = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: renewInterval)
            if Task.isCancelled { return }
            let deadline = lastSent + duration - renewInterval
            let sent = ContinuousClock.now
            let (store, holder, duration) = (self.store, self.holder, self.duration)
            let attempt = Task { try await store.acquireLease(name: Self.name, holder: holder, duration: duration) }
            switch await TaskDeadline.result(of: attempt, before: deadline) {
            case .success(true):
                lastSent = sent
            case .success(false):
                logger.warning("reconciler lease taken by another reconciler; standing by")
                return
            case .failure(let error):
                if Task.isCancelled { return }
                logger.warning("cannot renew the reconciler lease", metadata: ["error": "\(error)"])
                if ContinuousClock.now >= deadline {
                    logger.warning("reconciler lease about to expire unrenewed; standing by")
                    return
                }
            case nil:
                attempt.cancel()
                logger.warning("reconciler lease renewal did not answer before the lease could expire; standing by")
                return
            }
        }
    }

    /// gethostname(2): unlike `ProcessInfo.hostName` it never waits on DNS (an offline site).
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
