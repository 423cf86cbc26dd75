import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging

/// Level-triggered: every Environment is reconciled on start, whenever the change feed shows it
/// changed (read when a store change is signalled — a bus hint or a write here — and every
/// `pollInterval` as the safety net), when its retry is due, and at every full resync (every
/// `resyncInterval`, or at once when the feed was compacted past us). Directories under
/// `<state>/env` with no Environment are reconciled too, which removes them.
struct EnvironmentAssetsController: Sendable {
    let store: Store
    let reconciler: EnvironmentReconciler
    let queue: ReconcileQueue
    let backoff: RetryBackoff
    let changes: StoreChangeSignal
    let pollInterval: Duration
    let resyncInterval: Duration
    let logger: Logger

    /// Runs until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await watch() }
            for await _ in queue.wakeups {
                while let name = await queue.take() {
                    group.addTask {
                        await reconciler.reconcile(name)
                        await queue.done(name)
                    }
                }
            }
            group.cancelAll()
        }
    }

    private func watch() async {
        var revision: Int64?
        var nextResync = ContinuousClock.now
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if revision == nil || now >= nextResync {
                if let listed = await resync() {
                    revision = listed
                } else {
                    // The store is unwell: try again shortly, not on every poll.
                    try? await Task.sleep(for: .seconds(5))
                }
                nextResync = now + resyncInterval
            } else if let after = revision {
                do {
                    let changes = try await store.changes(after: after, limit: 1000)
                    for change in changes where change.kind == Environment.resourceKind.kind { await queue.add(change.name) }
                    revision = changes.last?.revision ?? after
                    if changes.count == 1000 { continue }
                } catch StoreError.revisionCompacted {
                    revision = nil
                    continue
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("cannot read the change feed", metadata: ["error": "\(error)"])
                }
            }
            for name in await backoff.due() { await queue.add(name) }
            // Wake for the next change, a due retry or the poll, whichever comes first.
            let wait = await backoff.nextDue().map { min(max($0 - .now, .zero), pollInterval) } ?? pollInterval
            await changes.wait(after: revision ?? 0, timeout: wait)
        }
    }

    /// Queues every Environment, every asset directory, and `default` (created if missing).
    /// Returns the revision read before listing, so no later change is missed.
    private func resync() async -> Int64? {
        do {
            let revision = try await store.currentRevision()
            var names = Set(try await store.list(kind: Environment.resourceKind.kind).map(\.name))
            names.insert(Environment.defaultName)
            let directory = reconciler.directory.path
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            where EnvironmentReconciler.isSafeDirectoryName(entry) {
                names.insert(entry)
            }
            for name in names.sorted() { await queue.add(name) }
            return revision
        } catch {
            if !Task.isCancelled { logger.warning("cannot list environments", metadata: ["error": "\(error)"]) }
            return nil
        }
    }
}
