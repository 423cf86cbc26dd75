import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// Listing many Servers: the `anvil get servers` path on a large rack.
struct ListBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Time to list N Servers (ms).")

    @Option(help: "Servers to create.") var count = 10000
    @Option(help: "Repetitions of the list.") var repeats = 5
    @Option(help: "sqlite:<new file> or postgres://…; default SQLite in a temporary directory.") var store: String?

    func run() async throws {
        let bench = try BenchStore(store, name: "list")
        print("store: \(bench.location.displayName)")
        try await bench.run(validate: ResourceValidator.validate) { try await measure($0) }
    }

    private func measure(_ store: Store) async throws {
        let createStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: count, by: 4) {
                        _ = try await store.seed(BenchObjects.server(index: index))
                    }
                }
            }
            try await group.waitForAll()
        }
        let created = ContinuousClock.now - createStart
        print("store create, \(count) Servers: \(fixed(seconds(created), 2)) s = \(Int(Double(count) / seconds(created))) creates/s")
        var best = Double.infinity
        var listed = 0
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            listed = try await store.list(kind: "Server").count
            best = min(best, microseconds(ContinuousClock.now - start) / 1000)
        }
        let selectorStart = ContinuousClock.now
        let selected = try await store.list(kind: "Server", selector: LabelSelector(matchLabels: ["rack": "r3"])).count
        let selectorMs = microseconds(ContinuousClock.now - selectorStart) / 1000
        print("store list, \(listed) Servers: best of \(repeats) \(fixed(best)) ms; with selector rack=r3 (\(selected) match): \(fixed(selectorMs)) ms")
    }
}
