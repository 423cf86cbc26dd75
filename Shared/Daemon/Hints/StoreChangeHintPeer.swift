import AnvilBus
import AnvilJSON
import Synchronization

/// Hints for one other daemon: the newest revision not yet sent, sent by one loop over one bus
/// connection. A slow or dead peer only delays its own hints; those pending meanwhile fold into one.
final class StoreChangeHintPeer: Sendable {
    let client: BusClient
    let from: String
    private let pending = Mutex<Int64?>(nil)
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(socketPath: String, from: String, timeout: Duration) {
        client = BusClient(socketPath: socketPath, defaultTimeout: timeout)
        self.from = from
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func offer(_ revision: Int64) {
        pending.withLock { $0 = max($0 ?? revision, revision) }
        wake.yield()
    }

    /// Ends ``run()`` once what is pending has been sent.
    func finish() {
        wake.finish()
    }

    func run() async {
        for await _ in wakeups {
            guard let revision = pending.withLock({ value in defer { value = nil }; return value }) else { continue }
            await send(revision)
        }
        if let revision = pending.withLock({ $0 }) { await send(revision) }
        await client.close()
    }

    /// One notification; a peer that is gone is not an error (the hint is only a hint).
    func send(_ revision: Int64) async {
        try? await client.notify(StoreChangeHints.method, params: ["revision": .int(revision), "from": .string(from)])
    }
}
