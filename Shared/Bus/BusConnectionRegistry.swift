import NIOCore
import Synchronization

/// The open connections of one ``BusServer``, so that shutdown can close them all and wait
/// until their in-flight requests have finished (as a task group would).
final class BusConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var drained: EventLoopFuture<Void>
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())

    /// Tracks `channel` until `drained` completes; closes it at once if the server is stopping.
    func add(_ channel: any Channel, drained: EventLoopFuture<Void>) {
        let key = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.isShutDown else { return false }
            state.entries[key] = Entry(channel: channel, drained: drained)
            return true
        }
        guard accepted else {
            channel.close(promise: nil)
            return
        }
        drained.whenComplete { _ in
            self.state.withLock { _ = $0.entries.removeValue(forKey: key) }
        }
    }

    /// Closes every connection and returns once all of them are closed and drained.
    func shutDown() async {
        let entries = state.withLock { state in
            state.isShutDown = true
            return Array(state.entries.values)
        }
        for entry in entries { entry.channel.close(promise: nil) }
        for entry in entries { try? await entry.drained.get() }
    }
}
