import AnvilSpawn
import ArgumentParser
import Foundation

/// The store on SQLite and on PostgreSQL in one run (`store`, `list` and `allocation`, each in a
/// process of its own), with pgbench on the same PostgreSQL server as the reference.
struct StoreCompareBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-compare", abstract: "Store figures on SQLite vs PostgreSQL, with pgbench as the reference.")

    @Option(help: "The PostgreSQL server (each run uses a schema of its own).")
    var postgres = ProcessInfo.processInfo.environment["ANVIL_BENCH_POSTGRES"] ?? "postgres://anvil:anvil@127.0.0.1:5432/anvil"
    @Option(help: "CAS updates per process.") var updates = 2000
    @Option(help: "ConfigMaps created.") var creates = 2000
    @Option(help: "Servers listed, and in the allocation's class.") var servers = 10_000
    @Option(help: "MetalMachines allocated.") var machines = 1000
    @Option(help: "pgbench scale (-s).") var pgbenchScale = 10
    @Option(help: "Seconds per pgbench run (-T).") var pgbenchSeconds = 10

    func run() async throws {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var sqlite = StoreFigures()
        var postgres = StoreFigures()
        for (name, location) in [("SQLite", nil), ("PostgreSQL", self.postgres)] as [(String, String?)] {
            let store = location.map { ["--store", $0] } ?? []
            print("== \(name)")
            let cas = try await Self.bench(own, ["store", "--updates", "\(updates)", "--creates", "\(creates)", "--processes", "4"] + store)
            let list = try await Self.bench(own, ["list", "--count", "\(servers)"] + store)
            let allocation = try await Self.bench(
                own, ["allocation", "--servers", "\(servers)", "--machines", "\(machines)", "--timeout", "600"] + store)
            let figures = try StoreFigures(store: cas, list: list, allocation: allocation)
            if location == nil { sqlite = figures } else { postgres = figures }
        }
        print("== pgbench")
        let reference = try PgBench(url: self.postgres, scale: pgbenchScale, seconds: pgbenchSeconds).run()
        print(StoreFigures.table(sqlite: sqlite, postgres: postgres, pgbench: reference, servers: servers, machines: machines))
    }

    /// Runs one benchmark in a process of its own, echoes and returns its output.
    static func bench(_ executable: String, _ arguments: [String]) async throws -> String {
        let finished = try await SpawnedProcess.runInBackground(executable, arguments, error: .inherit)
        print(finished.outputText, terminator: "")
        guard finished.succeeded else { throw BenchFailure("anvil-bench \(arguments[0]) failed (\(finished.status))") }
        return finished.outputText
    }
}
