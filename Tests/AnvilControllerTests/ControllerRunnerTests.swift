import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging
import Synchronization
import Testing
@testable import AnvilController

/// A reconciler that records what it was asked, for the runner's tests.
final class RecordingReconciler: Reconciler {
    let name = "recording"
    let store: Store
    let calls = Mutex<[String]>([])
    let concurrent = Mutex<(now: Int, most: Int)>((0, 0))
    /// Keys whose reconcile throws, and how many times.
    let failures = Mutex<[String: Int]>([:])
    let requeue = Mutex<[String: Duration]>([:])
    /// Keys that take long and fail (a frozen BMC), and come back at once, forever.
    let failing = Mutex<[String: Duration]>([:])
    let concurrentFailing = Mutex<(now: Int, most: Int)>((0, 0))

    init(store: Store) { self.store = store }

    func keys(for change: Change) -> [String] {
        change.kind == "Environment" ? [change.name] : []
    }

    func allKeys() async throws -> [String] {
        try await store.list(kind: "Environment").map(\.name)
    }

    func reconcile(_ key: String) async throws -> ReconcileResult {
        concurrent.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
        defer { concurrent.withLock { $0.now -= 1 } }
        calls.withLock { $0.append(key) }
        if let takes = failing.withLock({ $0[key] }) {
            concurrentFailing.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { concurrentFailing.withLock { $0.now -= 1 } }
            try await Task.sleep(for: takes)
            return .retry(after: .milliseconds(1))
        }
        try await Task.sleep(for: .milliseconds(5))
        let fail = failures.withLock { failures -> Bool in
            guard let left = failures[key], left > 0 else { return false }
            failures[key] = left - 1
            return true
        }
        if fail { throw TestError() }
        if let delay = requeue.withLock({ $0.removeValue(forKey: key) }) { return .requeue(after: delay) }
        return .done
    }

    func count(_ key: String) -> Int { calls.withLock { $0.filter { $0 == key }.count } }

    struct TestError: Error {}
}

@Suite(.timeLimit(.minutes(1))) struct ControllerRunnerTests {
    static func environment(_ name: String) -> Resource {
        Resource(apiVersion: "metal.sidero.dev/v1alpha2", kind: "Environment", metadata: ObjectMeta(name: name), body: ["spec": [:]])
    }

    /// Runs a controller over a temporary store whose writes signal it, as in a daemon.
    func withRunner(
        workers: Int = 4, failingLane: Int? = nil, _ body: (Store, RecordingReconciler) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-controller-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let signal = StoreChangeSignal()
        let store = try await Store.open(
            stateDirectory: directory, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { signal.changed(revision: $0) }))
        let reconciler = RecordingReconciler(store: store)
        let runner = ControllerRunner(
            reconciler: reconciler, store: store, changes: signal,
            settings: .init(workers: workers, pollInterval: .seconds(3600), resyncInterval: .seconds(3600),
                            backoff: (.milliseconds(20), .milliseconds(100)),
                            failingLaneWorkers: failingLane),
            logger: Logger(label: "test"))
        let running = Task { await runner.run() }
        defer { running.cancel() }
        try await body(store, reconciler)
    }

    func eventually(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("\(what) did not happen") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func everyKeyAtStartThenEachChangeAsItIsSignalled() async throws {
        try await withRunner { store, reconciler in
            try await eventually("the first resync") { true }
            _ = try await store.create(Self.environment("one"))
            try await eventually("one reconciled") { reconciler.count("one") >= 1 }
            _ = try await store.mutate(kind: "Environment", name: "one") { $0.metadata.labels = ["a": "b"] }
            try await eventually("one reconciled again") { reconciler.count("one") >= 2 }
        }
    }

    @Test func aFailingKeyIsRetriedWithBackoffThenSucceeds() async throws {
        try await withRunner { store, reconciler in
            reconciler.failures.withLock { $0["flaky"] = 3 }
            _ = try await store.create(Self.environment("flaky"))
            try await eventually("four attempts") { reconciler.count("flaky") >= 4 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(reconciler.count("flaky") == 4, "a success ends the retries")
        }
    }

    @Test func requeueAfterComesBackWithoutAChange() async throws {
        try await withRunner { store, reconciler in
            reconciler.requeue.withLock { $0["later"] = .milliseconds(100) }
            _ = try await store.create(Self.environment("later"))
            try await eventually("reconciled twice") { reconciler.count("later") >= 2 }
        }
    }

    @Test func oneKeyIsNeverReconciledTwiceAtOnce() async throws {
        try await withRunner(workers: 8) { store, reconciler in
            _ = try await store.create(Self.environment("hot"))
            for index in 0..<30 {
                _ = try await store.mutate(kind: "Environment", name: "hot") { $0.metadata.labels = ["n": "\(index)"] }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(reconciler.concurrent.withLock { $0.most } == 1)
            #expect(reconciler.count("hot") >= 1)
        }
    }

    @Test func workersRunDifferentKeysInParallel() async throws {
        try await withRunner(workers: 4) { store, reconciler in
            for index in 0..<40 { _ = try await store.create(Self.environment("e\(index)")) }
            try await eventually("all reconciled") { (0..<40).allSatisfy { reconciler.count("e\($0)") >= 1 } }
            #expect(reconciler.concurrent.withLock { $0.most } > 1)
            #expect(reconciler.concurrent.withLock { $0.most } <= 4)
        }
    }
}

extension ControllerRunnerTests {
    /// Six keys that always fail after 300 ms and come straight back (servers behind frozen BMCs)
    /// hold at most the failing lane's 2 of 4 workers: new keys are reconciled meanwhile.
    @Test func failingKeysHoldAtMostTheFailingLane() async throws {
        try await withRunner(workers: 4, failingLane: 2) { store, reconciler in
            reconciler.failing.withLock { failing in for index in 0..<6 { failing["bad\(index)"] = .milliseconds(300) } }
            for index in 0..<6 { _ = try await store.create(Self.environment("bad\(index)")) }
            try await eventually("each failing key reconciled once") { (0..<6).allSatisfy { reconciler.count("bad\($0)") >= 1 } }
            try await Task.sleep(for: .milliseconds(400))  // the last of them has finished: all known failing
            reconciler.concurrentFailing.withLock { $0.most = $0.now }
            let started = ContinuousClock.now
            for index in 0..<20 { _ = try await store.create(Self.environment("good\(index)")) }
            try await eventually("the new keys reconciled") { (0..<20).allSatisfy { reconciler.count("good\($0)") >= 1 } }
            print("20 new keys among 6 failing ones: \(ContinuousClock.now - started)")
            #expect(reconciler.concurrentFailing.withLock { $0.most } <= 2, "failing keys beyond their lane")
            try await eventually("the failing keys still retried") { (0..<6).allSatisfy { reconciler.count("bad\($0)") >= 3 } }
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
