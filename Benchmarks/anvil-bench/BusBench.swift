import AnvilBus
import AnvilJSON
import ArgumentParser
import Foundation
import Logging

/// Round trips of a small JSON-RPC call over the Unix-socket bus, 1 and N concurrent clients.
struct BusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bus", abstract: "Bus round trip: p50/p99 µs and calls/s.")

    @Option(help: "Calls per client.") var calls = 20000
    @Option(help: "Concurrent client counts to measure.") var clients: [Int] = [1, 8]

    func run() async throws {
        let directory = "/tmp/anvil-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var router = BusRouter()
        router.register("echo") { params in params ?? .null }
        let socket = "\(directory)/bench.sock"
        let server = BusServer(socketPath: socket, router: router, logger: Logger(label: "bench"))
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        try await waitForSocket(socket)

        let params: JSONValue = ["uuid": "4c4c4544-0039-3010-8048-b7c04f4d3232", "power": "on"]
        for count in clients {
            let connections = (0..<count).map { _ in BusClient(socketPath: socket, defaultTimeout: .seconds(10)) }
            for client in connections { _ = try await client.call("echo", params: params) }  // connect + warm up
            let start = ContinuousClock.now
            let stats = try await withThrowingTaskGroup(of: LatencyStats.self) { group in
                for client in connections {
                    group.addTask {
                        var stats = LatencyStats()
                        for _ in 0..<calls {
                            let begin = ContinuousClock.now
                            _ = try await client.call("echo", params: params)
                            stats.record(ContinuousClock.now - begin)
                        }
                        return stats
                    }
                }
                var all = LatencyStats()
                for try await stats in group { all.merge(stats) }
                return all
            }
            let elapsed = ContinuousClock.now - start
            let rate = Double(count * calls) / seconds(elapsed)
            print("bus round trip, \(count) client(s) x \(calls) calls: p50 \(fixed(stats.percentile(0.5))) µs, p99 \(fixed(stats.percentile(0.99))) µs, \(Int(rate)) calls/s")
            for client in connections { await client.close() }
        }
    }

    private func waitForSocket(_ path: String) async throws {
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: path) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ValidationError("bus server did not start at \(path)")
    }
}
