import NIOCore
import Synchronization

/// The open connections of one ``BusServer``, so that a stop can let their requests in flight be
/// answered, then close them all and wait until they are drained.
final class BusConnectionRegistry: Sendable {
    private struct Entry {
        var channel: any Channel
        var drained: EventLoopFuture<Void>
        var idle: @Sendable () -> EventLoopFuture<Void>
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var isShutDown = false
    }

    private let state = Mutex(State())

    /// Tracks `channel` until `drained` completes; closes it at once if the server is stopping.
    /// `idle` succeeds once the connection has no request running.
    func add(_ channel: any Channel, drained: EventLoopFuture<Void>, idle: @escaping @Sendable () -> EventLoopFuture<Void>) {
        let key = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            guard !state.isShutDown else { return false }
            state.entries[key] = Entry(channel: channel, drained: drained, idle: idle)
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

    /// Waits (at most `drainTimeout`) until no connection has a request running, then closes
    /// every connection and returns once all of them are closed and drained.
    func shutDown(drainTimeout: Duration) async {
        let entries = state.withLock { state in
            state.isShutDown = true
            return Array(state.entries.values)
        }
        await Self.waitUntilIdle(entries.map { $0.idle() }, timeout: drainTimeout)
        for entry in entries { entry.channel.close(promise: nil) }
        for entry in entries { try? await entry.drained.get() }
    }

    /// Returns when every future has completed or `timeout` has passed, whichever is first.
    private static func waitUntilIdle(_ futures: [EventLoopFuture<Void>], timeout: Duration) async {
        guard let loop = futures.first?.eventLoop else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
            let timer = loop.scheduleTask(in: .nanoseconds(nanoseconds)) { once.resume() }
            EventLoopFuture.andAllComplete(futures, on: loop).whenComplete { _ in
                timer.cancel()
                once.resume()
            }
        }
    }
}

/// Resumes a continuation from whichever of several callbacks comes first.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { $0.take() }?.resume()
    }
}
