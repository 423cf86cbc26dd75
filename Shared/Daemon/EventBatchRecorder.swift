import AnvilStore
import Logging
import ServiceLifecycle
import Synchronization

/// Writes events to the store off the request path. Callers only add to a pending table;
/// one task writes it in a single transaction at most every ``interval``, alike events folded
/// into one row with their count — a boot storm of a thousand downloads is a few writes, not a
/// thousand. The table is bounded: past ``maximumPending`` distinct events new ones are dropped
/// (and counted in the log), never the work that caused them.
public final class EventBatchRecorder: Service, Sendable {
    public struct Entry: Sendable, Hashable {
        let involved: InvolvedObject
        let type: EventType
        let reason: String
        let message: String

        public init(involved: InvolvedObject, type: EventType, reason: String, message: String) {
            self.involved = involved
            self.type = type
            self.reason = reason
            self.message = message
        }
    }

    static let interval: Duration = .milliseconds(250)
    static let maximumPending = 10_000

    private struct Pending: Sendable {
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
            if pending.counts[entry] != nil || pending.counts.count < Self.maximumPending {
                pending.counts[entry, default: 0] += 1
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
            await flush()
        } onGracefulShutdown: {
            self.wake.finish()
        }
    }

    private func flush() async {
        let (counts, dropped) = pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.counts, pending.dropped)
        }
        if dropped > 0 {
            logger.warning("events dropped: too many distinct events pending", metadata: ["dropped": "\(dropped)"])
        }
        guard !counts.isEmpty else { return }
        let records = counts.map { entry, count in
            EventRecord(
                involved: entry.involved, type: entry.type,
                reason: entry.reason, message: entry.message, source: source, count: count)
        }
        do {
            try await store.recordEvents(records)
        } catch {
            logger.warning("cannot record events", metadata: ["events": "\(records.count)", "error": "\(error)"])
        }
    }
}
