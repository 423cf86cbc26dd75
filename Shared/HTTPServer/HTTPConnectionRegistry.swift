import NIOCore
import Synchronization

/// The open connections of one ``HTTPServer``, so a graceful stop lets each finish the request
/// it is serving (``HTTPServerHandler`` closes it after that response, or at once when idle, on
/// ``HTTPDrainEvent``) instead of the process exiting under a half-sent body.
final class HTTPConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var quiescing = false
    }

    private let state = Mutex(State())

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let quiescing = state.withLock { state in
            if !state.quiescing { state.channels[key] = channel }
            return state.quiescing
        }
        if quiescing {
            Self.quiesce(channel)
            return
        }
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { _ = $0.channels.removeValue(forKey: key) }
        }
    }

    /// Asks every connection to close after its current response and waits until all have, at
    /// most `timeout`; those still open then (a client that stopped reading) are closed.
    func quiesce(timeout: Duration) async {
        let channels = state.withLock { state in
            state.quiescing = true
            return Array(state.channels.values)
        }
        guard !channels.isEmpty else { return }
        for channel in channels { Self.quiesce(channel) }
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for channel in channels { try? await channel.closeFuture.get() }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !drained {
            for channel in channels { channel.close(promise: nil) }
        }
    }

    private static func quiesce(_ channel: any Channel) {
        channel.eventLoop.execute {
            channel.pipeline.fireUserInboundEventTriggered(HTTPDrainEvent())
        }
    }
}
