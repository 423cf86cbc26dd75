import ArgumentParser

/// `anvil-bench`: the foundation's performance figures (bus round trip, store CAS, large lists).
/// Run a release build: `swift build -c release --product anvil-bench && .build/release/anvil-bench all`.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil-bench",
        abstract: "Benchmarks for the bus, the store, large lists, store-change hints, classes and allocation.",
        subcommands: [
            AllBench.self, BusBench.self, StoreBench.self, ListBench.self, HintBench.self, ClassBench.self, AllocationBench.self,
            StoreCompareBench.self, ReconcilerIdleBench.self, StoreWorkerCommand.self, BootSeed.self,
        ])
}

struct AllBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Run every benchmark with its defaults.")

    func run() async throws {
        try await BusBench.parse([]).run()
        try await StoreBench.parse([]).run()
        try await ListBench.parse([]).run()
        try await HintBench.parse([]).run()
        try await ClassBench.parse([]).run()
    }
}
