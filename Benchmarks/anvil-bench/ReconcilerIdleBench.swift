import AnvilBus
import AnvilDaemon
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation

/// The reconciler at rest with a large fleet: N accepted, clean Servers and M ServerClasses
/// (each selecting N/M servers by a `rack` label), with bmcd --fake-power. After everything has
/// settled it measures the reconciler's CPU over a window (goal < 1 % of a core), then the time
/// from one Server label change (written by this process, hinted like a CLI write) until both
/// classes concerned show it (goal < 50 ms).
struct ReconcilerIdleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconciler-idle", abstract: "Reconciler idle CPU and class recompute latency with a large fleet.")

    @Option(help: "Directory holding the reconciler and bmcd executables (a release build).") var bin: String
    @Option(help: "Servers.") var servers = 10_000
    @Option(help: "ServerClasses.") var classes = 100
    @Option(name: .customLong("seconds"), help: "Seconds of idle CPU measured.") var window = 60
    @Option(help: "Label changes timed.") var changes = 20

    func run() async throws {
        let state = URL(fileURLWithPath: "/tmp/anvil-bench-idle-\(getpid())", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let directory = ServiceDirectory(runDirectory: state.appendingPathComponent("run").path)
        let store = try await Store.open(
            stateDirectory: state, validate: ResourceValidator.validate,
            options: StoreOptions(changeObserver: { revision in
                Task { await StoreChangeHints.send(revision: revision, directory: directory, from: "bench") }
            }))
        let seeded = ContinuousClock.now
        try await seed(store)
        print("seeded \(servers) servers and \(classes) classes in \(fixed(seconds(ContinuousClock.now - seeded))) s")

        let common = ["--local", "--state", state.path, "--http-port", "0", "--log-level", "warning"]
        let bmcd = try BusBenchPeer.start(executable: bin + "/bmcd", arguments: common + ["--fake-power"])
        defer { bmcd.stop() }
        let reconciler = try BusBenchPeer.start(executable: bin + "/reconciler", arguments: common + ["--default-environment-url", "file:///nonexistent"])
        defer { reconciler.stop() }

        let started = ContinuousClock.now
        try await waitUntilSettled(store)
        // The first pass over every server ends with reads (power checks), not writes: wait for
        // the reconciler itself to go quiet too.
        var previous = try cpuSeconds(pid: reconciler.pid)
        for _ in 0..<120 {
            try await Task.sleep(for: .seconds(5))
            let now = try cpuSeconds(pid: reconciler.pid)
            defer { previous = now }
            if (now - previous) / 5 < 0.02 { break }
        }
        print("settled (every class lists its \(servers / classes) servers, every server ready, no store write for 10 s, reconciler under 2 % for 5 s) in \(fixed(seconds(ContinuousClock.now - started))) s")
        try await Task.sleep(for: .seconds(5))

        let before = try cpuSeconds(pid: reconciler.pid)
        var slices: [String] = []
        var last = before
        for _ in 0..<max(1, window / 10) {
            try await Task.sleep(for: .seconds(10))
            let now = try cpuSeconds(pid: reconciler.pid)
            slices.append(fixed(100 * (now - last) / 10, 1))
            last = now
        }
        print("reconciler CPU per 10 s slice, % of a core: \(slices.joined(separator: " "))")
        let used = last - before
        print("reconciler idle: \(fixed(used, 3)) s of CPU in \(max(1, window / 10) * 10) s = \(fixed(100 * used / Double(max(1, window / 10) * 10), 2)) % of a core (goal < 1 %)")

        var latency = LatencyStats()
        for index in 0..<changes {
            let name = Self.serverName(index * (servers / changes))
            let from = index * (servers / changes) % classes
            let to = (from + 1) % classes
            let start = ContinuousClock.now
            _ = try await store.mutate(kind: "Server", name: name) { $0.metadata.labels = ["rack": "r\(to)"] }
            while true {
                let target = try ServerClass(try await store.get(kind: "ServerClass", name: "rack-\(to)"))
                let source = try ServerClass(try await store.get(kind: "ServerClass", name: "rack-\(from)"))
                if target.status.serversAvailable.contains(name), !source.status.serversAvailable.contains(name) { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            latency.record(ContinuousClock.now - start)
        }
        print("class recompute after one Server label change, end to end across processes: p50 \(fixed(latency.percentile(0.5) / 1000, 2)) ms, p99 \(fixed(latency.percentile(0.99) / 1000, 2)) ms (goal < 50 ms)")
    }

    static func serverName(_ index: Int) -> String { String(format: "00000000-0000-4000-9000-%012ld", index) }

    private func seed(_ store: Store) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in stride(from: worker, to: servers, by: 4) {
                        var server = Server(
                            metadata: ObjectMeta(name: Self.serverName(index), labels: ["rack": "r\(index % classes)"]),
                            spec: ServerSpec(accepted: true))
                        server.status.isClean = true
                        server.status.power = .off
                        _ = try await store.seed(server.resource)
                    }
                }
            }
            try await group.waitForAll()
        }
        for index in 0..<classes {
            _ = try await store.seed(ServerClass(
                metadata: ObjectMeta(name: "rack-\(index)"),
                spec: ServerClassSpec(selector: LabelSelector(matchLabels: ["rack": "r\(index)"]))).resource)
        }
    }

    private func waitUntilSettled(_ store: Store) async throws {
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline {
            let classes = try await store.list(kind: "ServerClass").map(ServerClass.init)
            let listed = classes.filter { $0.metadata.name.hasPrefix("rack-") }.reduce(0) { $0 + $1.status.serversAvailable.count }
            let ready = try await store.list(kind: "Server").map(Server.init).filter(\.status.ready).count
            if listed == servers, ready == servers { break }
            try await Task.sleep(for: .seconds(1))
        }
        // Then quiet: no store write for 10 s (the first reconciles of every server are done).
        var revision = try await store.currentRevision()
        var quiet = 0
        while quiet < 10, ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(1))
            let now = try await store.currentRevision()
            quiet = now == revision ? quiet + 1 : 0
            revision = now
        }
        if quiet >= 10 { return }
        throw ValidationError("the reconciler did not settle within 10 minutes")
    }

    /// utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15).
    private func cpuSeconds(pid: Int32) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = text.lastIndex(of: ")") else { throw ValidationError("cannot read /proc/\(pid)/stat") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw ValidationError("cannot read /proc/\(pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
