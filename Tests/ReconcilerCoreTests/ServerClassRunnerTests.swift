import AnvilController
import AnvilDaemon
import AnvilResources
import AnvilStore
import Foundation
import Logging
import Testing

@testable import ReconcilerCore

/// The reconciler under the real runner (4 workers, change feed and hints): concurrent server
/// changes that race on the same classes' status still leave every status equal to a
/// recomputation from scratch.
@Suite(.timeLimit(.minutes(1))) struct ServerClassRunnerTests {
    @Test func concurrentChangesSettleOnTheRightStatus() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serverclass-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let signal = StoreChangeSignal()
        let store = try await Store.open(
            stateDirectory: directory, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { signal.changed(revision: $0) }))
        for index in 0..<60 {
            _ = try await store.seed(ServerClassFixture.server(index, labels: ["rack": "r\(index % 4)"], inUse: index % 5 == 0))
        }
        for rack in 0..<4 {
            _ = try await store.seed(ServerClassFixture.serverClass("rack-\(rack)", selector: LabelSelector(matchLabels: ["rack": "r\(rack)"])))
        }
        _ = try await store.seed(ServerClassFixture.serverClass("r0-or-r1", qualifiers: Qualifiers(labelSelectors: [["rack": "r0"], ["rack": "r1"]])))
        let logger = Logger(label: "serverclass-runner")
        let reconciler = ServerClassReconciler(
            store: store, events: EventBatchRecorder(store: store, source: "reconciler", logger: logger), logger: logger)
        let runner = ControllerRunner(
            reconciler: reconciler, store: store, changes: signal,
            settings: .init(workers: 4, pollInterval: .seconds(3600), resyncInterval: .seconds(3600)), logger: logger)
        let running = Task { await runner.run() }
        defer { running.cancel() }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for step in 0..<40 {
                        let index = (writer * 17 + step * 7) % 60
                        _ = try await store.mutate(kind: "Server", name: ServerClassFixture.uuid(index)) { resource in
                            resource.metadata.labels = ["rack": "r\((index + step + writer) % 4)"]
                            if step % 9 == 0, case .object(var status)? = resource.status {
                                status["inUse"] = .bool(status["inUse"] != .bool(true))
                                resource.status = .object(status)
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let servers = try await store.list(kind: "Server").map { try Server($0) }
            let classes = try await store.list(kind: "ServerClass").map { try ServerClass($0) }
            let wrong = classes.filter { cls in
                let members = ServerClassMembership.members(of: cls, among: servers)
                return cls.status.serversAvailable != members.filter { !$0.status.inUse }.map(\.metadata.name)
                    || cls.status.serversInUse != members.filter(\.status.inUse).map(\.metadata.name)
            }
            if wrong.isEmpty, classes.count == 6 { break }
            guard ContinuousClock.now < deadline else {
                Issue.record("classes still wrong: \(wrong.map(\.metadata.name))")
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
