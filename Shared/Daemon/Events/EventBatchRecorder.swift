import AnvilStore
import Logging
import ServiceLifecycle
import Synchronization

/// Every daemon's one event path (docs/architecture.md "Events"): callers only add to a pending
/// table; one task writes it in a single transaction at most every ``interval``, alike events
/// folded into one row with their count — a boot storm of a thousand downloads is a few writes,
/// not a thousand. Events keep the order they were first recorded in. The table is bounded: past
/// ``maximumPending`` distinct events new ones are dropped (and counted in the log), never the
/// work that caused them. The skeleton runs one per daemon (``DaemonContext/events``).
public final class EventBatchRecorder: Service, Sendable {
    public struct Entry: Sendable, Hashable {
        let involved: InvolvedObject
        let type: EventType
        let reason: String
        let message: String
        /// The component reporting it, when not the daemon itself (e.g. "reconciler/environment-assets").
        let source: String?

        public init(involved: InvolvedObject, type: EventType, reason: String, message: String, source: String? = nil) {
            self.involved = involved
            self.type = type
            self.reason = reason
            self.message = message
            self.source = source
        }
    }

    static let interval: Duration = .milliseconds(250)
    static let maximumPending = 10_000

    private struct Pending: Sendable {
        /// First-seen order, and the count of each.
        var order: [Entry] = []
        var counts: [Entry: Int] = [:]
        var dropped = 0
    }

    let store: Store
    let logger: Logger
    let source: String
    private let pending = Mutex(Pending())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// `source`: the daemon named in each event's source.
    public init(store: Store, source: String, logger: Logger) {
        self.store = store
        self.source = source
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func record(_ entry: Entry) {
        pending.withLock { pending in
            if let count = pending.counts[entry] {
                pending.counts[entry] = count + 1
            } else if pending.order.count < Self.maximumPending {
                pending.order.append(entry)
                pending.counts[entry] = 1
            } else {
                pending.dropped += 1
            }
        }
        wake.yield()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await flush()
                // Let a burst gather before the next write.
                try? await Task.sleep(for: Self.interval)
            }
            // A fresh task: if this one was cancelled, the store would refuse the last batch.
            await Task { await self.flush() }.value
        } onGracefulShutdown: {
            self.wake.finish()
        }
    }

    /// Writes what is pending now (what `run` does on each wake-up; tests call it directly).
    public func flush() async {
        let taken = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        if taken.dropped > 0 {
            logger.warning("events dropped: too many distinct events pending", metadata: ["dropped": "\(taken.dropped)"])
        }
        guard !taken.order.isEmpty else { return }
        let records = taken.order.map { entry in
            EventRecord(
                involved: entry.involved, type: entry.type, reason: entry.reason, message: entry.message,
                source: entry.source ?? source, count: taken.counts[entry] ?? 1)
        }
        do {
            try await store.recordEvents(records)
        } catch {
            logger.warning("cannot record events", metadata: ["events": "\(records.count)", "error": "\(error)"])
        }
    }
}
