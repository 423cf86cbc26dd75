import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// Several OS processes on one database file: the real deployment shape.
@Suite(.serialized) struct MultiProcessTests {
    @Test func fourProcessesIncrementWithoutLosingAnUpdate() async throws {
        try await withTemporaryDirectory { directory in
            // A fresh directory: the workers also race to create the key, the file and the schema.
            let results = try await WorkerProcess.runAll(
                (0..<4).map { _ in [directory.path, "shared-counter", "1000"] })
            for result in results {
                #expect(result.status == 0, "worker failed: \(result.standardError)")
                #expect(result.standardError.isEmpty, "worker printed errors: \(result.standardError)")
                #expect(result.standardOutput.hasPrefix("ok"))
            }
            let store = try await Store.open(stateDirectory: directory)
            let counter = try await store.get(kind: "Counter", name: "shared-counter")
            #expect(counter.spec?["counter"] == 4000)
            // One create plus 4000 updates, each its own revision.
            #expect(try await store.currentRevision() == 4001)
            #expect(counter.metadata.generation == 4001)
        }
    }

    @Test func concurrentFirstOpenMigratesOnceAndAgreesOnOneKey() async throws {
        try await withTemporaryDirectory { directory in
            let names = (0..<8).map { "racer-\($0)" }
            let results = try await WorkerProcess.runAll(names.map { [directory.path, $0, "0", "--secret"] })
            for result in results {
                #expect(result.status == 0, "worker failed: \(result.standardError)")
                #expect(result.standardError.isEmpty)
            }
            // Every process sealed with the same key: this process (the key on disk) reads them all.
            let store = try await Store.open(stateDirectory: directory)
            let secrets = try await store.list(kind: "Secret", namespace: "default")
            #expect(secrets.map(\.name) == names)
            for secret in secrets {
                #expect(secret.body["stringData"]?["value"]?.stringValue == "sealed-by-\(secret.name)")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(leftovers.allSatisfy { !$0.hasSuffix(".tmp") }, "\(leftovers)")
            #expect(try await store.currentRevision() == 8)
        }
    }
}
