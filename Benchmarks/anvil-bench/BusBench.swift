import AnvilBus
import AnvilJSON
import ArgumentParser
import Foundation
import Logging

/// Round trips of a small JSON-RPC call over the Unix-socket bus, 1 and N concurrent clients,
/// against a server in this process, one in a child process (what daemons really see), and a
/// minimal Python asyncio server speaking the same framing, as a yardstick.
struct BusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus",
        abstract: "Bus round trip: p50/p99 µs and calls/s.",
        subcommands: [BusBenchServerCommand.self])

    @Option(help: "Calls per client.") var calls = 20000
    @Option(help: "Concurrent client counts to measure.") var clients: [Int] = [1, 8]

    static let params: JSONValue = ["uuid": "4c4c4544-0039-3010-8048-b7c04f4d3232", "power": "on"]

    func run() async throws {
        let directory = "/tmp/anvil-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        // In-process server: client and server share the event loops.
        let socket = "\(directory)/bench.sock"
        let server = BusServer(socketPath: socket, router: BusBenchServerCommand.router(), logger: Logger(label: "bench"))
        let serverTask = Task { try await server.run() }
        try await waitForSocket(socket)
        for count in clients {
            _ = try await measure(label: "in-process", socket: socket, clients: count)
        }
        serverTask.cancel()
        _ = try? await serverTask.value

        // The same server in a child process.
        var anvil: [Int: Double] = [:]
        let crossSocket = "\(directory)/cross.sock"
        let child = try BusBenchPeer.start(executable: BusBenchPeer.ownExecutable, arguments: ["bus", "server", crossSocket])
        defer { child.stop() }
        try await waitForSocket(crossSocket)
        for count in clients {
            anvil[count] = try await measure(label: "cross-process", socket: crossSocket, clients: count)
        }
        child.stop()

        // The yardstick: Python 3 asyncio, same framing, same client.
        let peerSocket = "\(directory)/peer.sock"
        let script = "\(directory)/peer.py"
        try BusBenchPeer.pythonServer.write(toFile: script, atomically: true, encoding: .utf8)
        guard let python = try? BusBenchPeer.start(executable: "/usr/bin/env", arguments: ["python3", script, peerSocket]) else {
            print("bus peer: python3 could not be started; no comparison")
            return
        }
        defer { python.stop() }
        try await waitForSocket(peerSocket)
        var peer: [Int: Double] = [:]
        for count in clients {
            peer[count] = try await measure(label: "python asyncio peer", socket: peerSocket, clients: count)
        }
        python.stop()
        for count in clients {
            guard let mine = anvil[count], let theirs = peer[count], theirs > 0 else { continue }
            print("bus vs python asyncio peer, \(count) client(s): Anvil cross-process / peer calls/s = \(fixed(mine / theirs, 2))x")
        }
    }

    /// Runs `calls` sequential echo calls on each of `clients` connections; prints and returns calls/s.
    private func measure(label: String, socket: String, clients count: Int) async throws -> Double {
        let calls = self.calls
        let connections = (0..<count).map { _ in BusClient(socketPath: socket, defaultTimeout: .seconds(10)) }
        for client in connections {  // connect + warm up
            for _ in 0..<100 { _ = try await client.call("echo", params: Self.params) }
        }
        let start = ContinuousClock.now
        let stats = try await withThrowingTaskGroup(of: LatencyStats.self) { group in
            for client in connections {
                group.addTask {
                    var stats = LatencyStats()
                    for _ in 0..<calls {
                        let begin = ContinuousClock.now
                        _ = try await client.call("echo", params: Self.params)
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
        print("bus round trip, \(label), \(count) client(s) x \(calls) calls: p50 \(fixed(stats.percentile(0.5))) µs, p99 \(fixed(stats.percentile(0.99))) µs, \(Int(rate)) calls/s")
        for client in connections { await client.close() }
        return rate
    }

    private func waitForSocket(_ path: String) async throws {
        for _ in 0..<500 {
            if FileManager.default.fileExists(atPath: path) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ValidationError("bus server did not start at \(path)")
    }
}
