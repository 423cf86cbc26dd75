import AnvilBus
import AnvilJSON
import Logging
import ServiceLifecycle
import Synchronization

/// Tells every other daemon on the bus that the store changed: each revision committed in this
/// process (``committed(_:)``, the store's change observer) becomes a `store.changed`
/// notification to every socket in the run directory, so their watchers wake within
/// milliseconds instead of at their next poll (docs/architecture.md "Change feed and hints").
/// Hints carry no state: a watcher that misses one catches up from the change feed.
public final class StoreChangeHints: Service, Sendable {
    /// The bus notification: `{"revision": R, "from": "<bus name>"}`.
    public static let method = "store.changed"
    /// A hint not written within this is dropped (the peer's poll covers it).
    static let timeout: Duration = .seconds(1)

    let directory: ServiceDirectory
    let ownSocket: String?
    let from: String
    /// This process's own watchers, woken at once.
    let local: StoreChangeSignal
    private let pending = Mutex<Int64>(0)
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(directory: ServiceDirectory, ownSocket: String?, from: String, local: StoreChangeSignal) {
        self.directory = directory
        self.ownSocket = ownSocket
        self.from = from
        self.local = local
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A change at `revision` committed in this process. Cheap and non-blocking: the store calls
    /// it on its writer's thread.
    public func committed(_ revision: Int64) {
        local.changed(revision: revision)
        pending.withLock { $0 = max($0, revision) }
        wake.yield()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var peers: [String: StoreChangeHintPeer] = [:]
                for await _ in wakeups {
                    let revision = pending.withLock { $0 }
                    let paths = Set(directory.services().map(\.path)).subtracting([ownSocket].compactMap { $0 })
                    for (path, peer) in peers where !paths.contains(path) {
                        peer.finish()
                        peers[path] = nil
                    }
                    for path in paths where peers[path] == nil {
                        let peer = StoreChangeHintPeer(socketPath: path, from: from, timeout: Self.timeout)
                        peers[path] = peer
                        group.addTask { await peer.run() }
                    }
                    for peer in peers.values { peer.offer(revision) }
                }
                for peer in peers.values { peer.finish() }
            }
        } onGracefulShutdown: {
            self.wake.finish()
        }
    }

    /// For short-lived writers (the CLI): sends `revision` to every daemon once and returns when
    /// each has been written or timed out.
    public static func send(revision: Int64, directory: ServiceDirectory, from: String) async {
        await withDiscardingTaskGroup { group in
            for entry in directory.services() {
                group.addTask {
                    let peer = StoreChangeHintPeer(socketPath: entry.path, from: from, timeout: timeout)
                    await peer.send(revision)
                    await peer.client.close()
                }
            }
        }
    }
}
