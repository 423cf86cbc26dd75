import AnvilBus
import AnvilJSON
import AnvilStore
import Foundation
import Logging
import Testing
@testable import AnvilDaemon

/// A write in one place wakes a watcher behind another bus socket: the hint path end to end,
/// inside one test process (the cross-process figure is `anvil-bench hints`).
@Suite struct StoreChangeHintsTests {
    @Test func aCommitIsHintedToEveryOtherSocketAndToLocalWatchers() async throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-hints-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: run) }
        let directory = ServiceDirectory(runDirectory: run.path)
        // The peer: a bus server answering the standard methods, as every daemon's does.
        let remote = StoreChangeSignal()
        var router = BusRouter()
        Daemon.registerStandardMethods(
            into: &router, service: "peer", health: { true }, storeChanges: remote, currentRevision: { .max }, info: { .null })
        let server = BusServer(socketPath: directory.socketPath(service: "peer"), router: router, logger: Logger(label: "test"))
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        for _ in 0..<100 where directory.services().isEmpty { try await Task.sleep(for: .milliseconds(20)) }

        let local = StoreChangeSignal()
        let ownSocket = directory.socketPath(service: "writer")
        let hints = StoreChangeHints(directory: directory, ownSocket: ownSocket, from: "writer", local: local)
        let publishing = Task { try await hints.run() }
        defer { publishing.cancel() }
        try await withTemporaryStore(options: StoreOptions(changeObserver: { hints.committed($0) })) { store, _ in
            let created = try await store.create(environment("one"))
            let revision = try #require(Int64(created.metadata.resourceVersion ?? ""))
            #expect(local.latest == revision, "the writer's own watchers are woken synchronously")
            await remote.wait(after: revision - 1, timeout: .seconds(10))
            #expect(remote.latest == revision)
            // A burst folds into the newest revision.
            var last = revision
            for index in 0..<20 { last = Int64(try await store.create(environment("burst-\(index)")).metadata.resourceVersion ?? "") ?? 0 }
            let deadline = ContinuousClock.now + .seconds(10)
            while remote.latest < last, ContinuousClock.now < deadline { await remote.wait(after: remote.latest, timeout: .milliseconds(100)) }
            #expect(remote.latest == last)
        }
    }

    @Test func aHintWithoutARevisionOrAheadOfTheStoreIsRefused() async throws {
        var router = BusRouter()
        let signal = StoreChangeSignal()
        Daemon.registerStandardMethods(
            into: &router, service: "peer", health: { true }, storeChanges: signal, currentRevision: { 5 }, info: { .null })
        guard case .failure(let missing) = await router.dispatch(StoreChangeHints.method, params: ["from": "x"]) else {
            Issue.record("a hint without a revision was taken")
            return
        }
        #expect(missing.code == BusError.invalidParamsCode)
        #expect(missing.message.contains("revision"))
        // A revision the store has not reached would make watchers wait for (or spin on) nothing.
        guard case .failure(let ahead) = await router.dispatch(StoreChangeHints.method, params: ["revision": 6]) else {
            Issue.record("a hint ahead of the store was taken")
            return
        }
        #expect(ahead.message.contains("revision 6 is ahead of the store (at 5)"))
        #expect(signal.latest == 0)
        guard case .success = await router.dispatch(StoreChangeHints.method, params: ["revision": 5]) else {
            Issue.record("a true hint was refused")
            return
        }
        #expect(signal.latest == 5)
    }

    @Test func theCLIsOneShotSendReachesEveryDaemon() async throws {
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-hints-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: run) }
        let directory = ServiceDirectory(runDirectory: run.path)
        var servers: [Task<Void, any Error>] = []
        var signals: [StoreChangeSignal] = []
        for name in ["a", "b"] {
            let signal = StoreChangeSignal()
            var router = BusRouter()
            Daemon.registerStandardMethods(
                into: &router, service: name, health: { true }, storeChanges: signal, currentRevision: { .max }, info: { .null })
            let server = BusServer(socketPath: directory.socketPath(service: name), router: router, logger: Logger(label: "test"))
            servers.append(Task { try await server.run() })
            signals.append(signal)
        }
        defer { servers.forEach { $0.cancel() } }
        for _ in 0..<100 where directory.services().count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        await StoreChangeHints.send(revision: 42, directory: directory, from: "anvil")
        for signal in signals {
            await signal.wait(after: 41, timeout: .seconds(10))
            #expect(signal.latest == 42)
        }
    }
}
