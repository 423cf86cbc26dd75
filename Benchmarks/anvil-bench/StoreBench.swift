import AnvilJSON
import AnvilSpawn
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// Compare-and-swap updates per second on one object, from 1 process and from N processes, and
/// creates per second of distinct objects, on the store `--store` names.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Store CAS updates/s (1 process and N processes) and creates/s.")

    @Option(help: "Updates per process.") var updates = 2000
    @Option(help: "Processes for the multi-process run.") var processes = 4
    @Option(help: "ConfigMaps to create, one after another.") var creates = 2000
    @Option(help: "sqlite:<new file> or postgres://…; default SQLite in a temporary directory.") var store: String?

    func run() async throws {
        let bench = try BenchStore(store, name: "store")
        print("store: \(bench.location.displayName)")
        try await bench.run { store in
            _ = try await store.seed(BenchObjects.counter(name: "counter"))

            let start = ContinuousClock.now
            try await StoreWorkerCommand.increment(store: store, name: "counter", count: updates)
            let single = ContinuousClock.now - start
            print("store CAS, 1 process: \(updates) updates in \(fixed(seconds(single), 2)) s = \(Int(Double(updates) / seconds(single))) updates/s")

            let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let arguments = ["store-worker", "--store", bench.locationText, "--secrets-key", bench.secretsKey.path, "counter", "\(updates)"]
            let multiStart = ContinuousClock.now
            let children = try (0..<processes).map { _ in
                try SpawnedProcess(
                    executable: own, arguments: arguments, environment: SpawnedProcess.currentEnvironment(), output: .inherit,
                    error: .inherit)
            }
            let exits = children.map { $0.waitForExit() }
            let multi = ContinuousClock.now - multiStart
            let failed = exits.filter { $0 != .exited(0) }.count
            let final = try await store.get(kind: "ConfigMap", namespace: "", name: "counter")
            let total = processes * updates
            print(
                "store CAS, \(processes) processes: \(total) updates in \(fixed(seconds(multi), 2)) s = \(Int(Double(total) / seconds(multi))) updates/s"
                    + " (final value \(final.spec?["value"]?.intValue ?? -1), expected \(updates + total), failed workers \(failed))")

            let createStart = ContinuousClock.now
            for index in 0..<creates { _ = try await store.create(BenchObjects.counter(name: "created-\(index)")) }
            let created = ContinuousClock.now - createStart
            print("store create, 1 process: \(creates) ConfigMaps in \(fixed(seconds(created), 2)) s = \(Int(Double(creates) / seconds(created))) creates/s")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

/// A worker process for the multi-process run:
/// `anvil-bench store-worker --store LOCATION --secrets-key PATH NAME COUNT`.
struct StoreWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store-worker", abstract: "Internal: CAS increments from one process.", shouldDisplay: false)

    @Option var store: String
    @Option var secretsKey: String
    @Argument var name: String
    @Argument var count: Int

    func run() async throws {
        let location = try StoreLocation.parse(store, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let opened = try await Store.open(location: location, secretsKey: URL(fileURLWithPath: secretsKey))
        try await Self.increment(store: opened, name: name, count: count)
        await opened.close()
    }

    static func increment(store: Store, name: String, count: Int) async throws {
        for _ in 0..<count {
            _ = try await store.mutate(kind: "ConfigMap", namespace: "", name: name) { object in
                let value = object.spec?["value"]?.intValue ?? 0
                object.spec = ["value": .int(value + 1)]
            }
        }
    }
}

enum BenchObjects {
    static func counter(name: String) -> Resource {
        Resource(apiVersion: "v1", kind: "ConfigMap", metadata: ObjectMeta(name: name), body: ["spec": ["value": 0]])
    }

    static func server(index: Int) -> Resource {
        let uuid = String(format: "00000000-0000-4000-8000-%012ld", index)
        return Resource(
            apiVersion: "metal.sidero.dev/v1alpha2", kind: "Server",
            metadata: ObjectMeta(name: uuid, labels: ["rack": "r\(index % 20)"]),
            body: [
                "spec": [
                    "accepted": .bool(index % 2 == 0), "hostname": .string("node-\(index)"),
                    "bmc": ["endpoint": .string("10.1.\(index / 250).\(index % 250)"), "user": "admin", "pass": "x"],
                    "hardware": ["system": ["manufacturer": "QEMU", "productName": "Standard PC"]],
                ],
            ])
    }
}
