import AnvilDaemon
import AnvilStore
import Logging

/// Runs one ``Reconciler`` (docs/architecture.md "How to add… a controller"), level-triggered:
/// every key at start and at each resync, the keys of each change-feed entry as soon as a store
/// change is signalled (a bus hint or a write here; `pollInterval` is the safety net), keys a
/// reconcile asked to see again, and failed keys after their backoff. `workers` keys are
/// reconciled at once, never one key twice. Runs until cancelled.
public struct ControllerRunner<R: Reconciler>: Sendable {
    let reconciler: R
    let store: Store
    let changes: StoreChangeSignal
    let settings: ControllerSettings
    let logger: Logger

    public init(reconciler: R, store: Store, changes: StoreChangeSignal, settings: ControllerSettings = ControllerSettings(), logger: Logger) {
        self.reconciler = reconciler
        self.store = store
        self.changes = changes
        self.settings = settings
        var logger = logger
        logger[metadataKey: "controller"] = "\(reconciler.name)"
        self.logger = logger
    }

    public func run() async {
        let queue = WorkQueue(failingLaneWorkers: settings.failingLaneWorkers)
        let backoff = KeyedBackoff(initial: settings.backoff.initial, maximum: settings.backoff.maximum)
        await withDiscardingTaskGroup { group in
            for _ in 0..<settings.workers {
                group.addTask { await work(queue: queue, backoff: backoff) }
            }
            await watch(queue: queue)
            await queue.close()
        }
    }

    private func work(queue: WorkQueue, backoff: KeyedBackoff) async {
        while let key = await queue.next() {
            var failed = false
            do {
                switch try await reconciler.reconcile(key) {
                case .done:
                    await backoff.succeeded(key)
                case .requeue(let delay):
                    await backoff.succeeded(key)
                    await queue.add(key, after: delay)
                case .retry(let delay):
                    failed = true
                    await queue.add(key, after: delay)
                }
            } catch {
                if Task.isCancelled {
                    await queue.done(key)
                    return
                }
                failed = true
                let delay = await backoff.failed(key)
                logger.warning("reconcile failed", metadata: ["key": "\(key)", "retryIn": "\(delay)", "error": "\(error)"])
                await queue.add(key, after: delay)
            }
            await queue.done(key, failed: failed)
        }
    }

    /// Feeds the queue until cancelled.
    private func watch(queue: WorkQueue) async {
        var revision: Int64?
        var nextResync = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if revision == nil || now >= nextResync {
                revision = await resync(queue: queue) ?? revision
                nextResync = now + settings.resyncInterval
            } else if let after = revision {
                do {
                    let found = try await store.changes(after: after, limit: 1000)
                    for change in found {
                        for key in reconciler.keys(for: change) { await queue.add(key) }
                    }
                    revision = found.last?.revision ?? after
                    if found.count == 1000 { continue }
                } catch StoreError.revisionCompacted {
                    revision = nil
                    continue
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("cannot read the change feed", metadata: ["error": "\(error)"])
                }
            }
            // A store that could not be listed is tried again shortly, not at the next poll.
            await changes.wait(after: revision ?? 0, timeout: revision == nil ? min(settings.pollInterval, .seconds(5)) : settings.pollInterval)
        }
    }

    /// Queues every key; returns the revision read before listing, so no later change is missed.
    private func resync(queue: WorkQueue) async -> Int64? {
        do {
            let revision = try await store.currentRevision()
            for key in try await reconciler.allKeys() { await queue.add(key) }
            return revision
        } catch {
            if !Task.isCancelled { logger.warning("cannot list for a resync", metadata: ["error": "\(error)"]) }
            return nil
        }
    }
}

/// How a controller runs: workers, the poll that backs up hints, the full resync, the retry backoff.
public struct ControllerSettings: Sendable {
    public var workers: Int
    public var pollInterval: Duration
    public var resyncInterval: Duration
    public var backoff: (initial: Duration, maximum: Duration)
    /// Workers failing keys may take at once (``WorkQueue``): half of them, so the other half
    /// always serves the rest.
    public var failingLaneWorkers: Int

    public init(
        workers: Int = 4, pollInterval: Duration = .seconds(10), resyncInterval: Duration = .seconds(300),
        backoff: (initial: Duration, maximum: Duration) = (.milliseconds(500), .seconds(300)),
        failingLaneWorkers: Int? = nil
    ) {
        self.workers = max(1, workers)
        self.pollInterval = pollInterval
        self.resyncInterval = resyncInterval
        self.backoff = backoff
        self.failingLaneWorkers = max(1, failingLaneWorkers ?? self.workers / 2)
    }
}
