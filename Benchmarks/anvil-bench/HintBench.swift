import AnvilBus
import AnvilDaemon
import AnvilJSON
import AnvilSpawn
import AnvilResources
import AnvilStore
import ArgumentParser
import Foundation
import Logging

/// Wake-up latency from a store write in one process to a watcher in another: with bus hints
/// (`store.changed`, what every daemon sends now) against polling the change feed every 500 ms
/// (what the reconciler did before), in the same run. The writer is this executable in a child
/// process; each write carries its start time (CLOCK_MONOTONIC, shared by both processes).
struct HintBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hints",
        abstract: "Store change → watcher in another process: bus hints vs 500 ms polling (p50/p99 ms).",
        subcommands: [HintWriterCommand.self])

    @Option(help: "Writes per mode.") var samples = 200
    @Option(name: .customLong("interval-ms"), help: "Pause between writes.") var intervalMilliseconds = 20
    @Option(name: .customLong("poll-ms"), help: "The polling watcher's period (the reconciler's before hints).") var pollMilliseconds = 500

    static let stampKey = "bench.anvil.dev/written-at-ns"

    func run() async throws {
        let state = URL(fileURLWithPath: "/tmp/anvil-bench-hints-\(getpid())", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: state) }
        let store = try await Store.open(stateDirectory: state, validate: ResourceValidator.validate)
        let directory = ServiceDirectory(runDirectory: state.appendingPathComponent("run").path)
        let signal = StoreChangeSignal()
        var router = BusRouter()
        // The watcher's bus socket answers what every daemon's does, `store.changed` included.
        Daemon.registerStandardMethods(
            into: &router, service: "watcher", health: { true }, storeChanges: signal,
            currentRevision: { try await store.currentRevision() }, info: { .null })
        let server = BusServer(socketPath: directory.socketPath(service: "watcher"), router: router, logger: Logger(label: "bench"))
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        while directory.services().isEmpty { try await Task.sleep(for: .milliseconds(10)) }

        print("store change → watcher in another process: \(samples) writes, one every \(intervalMilliseconds) ms")
        let hinted = try await measure(store: store, state: state, hints: true) { revision in
            await signal.wait(after: revision, timeout: .seconds(10))
        }
        print("  bus hints:               p50 \(fixed(hinted.latency.percentile(0.5) / 1000, 2)) ms, p99 \(fixed(hinted.latency.percentile(0.99) / 1000, 2)) ms (the write itself: p50 \(fixed(hinted.write.percentile(0.5) / 1000, 2)) ms)")
        let polled = try await measure(store: store, state: state, hints: false) { _ in
            try? await Task.sleep(for: .milliseconds(pollMilliseconds))
        }
        print("  polling every \(pollMilliseconds) ms:   p50 \(fixed(polled.latency.percentile(0.5) / 1000, 2)) ms, p99 \(fixed(polled.latency.percentile(0.99) / 1000, 2)) ms")
        print("  hints / polling, p50: \(fixed(hinted.latency.percentile(0.5) / polled.latency.percentile(0.5), 4))x")
    }

    /// Starts a writer and records, for each of its writes, the time from its start to the
    /// watcher's wake-up that first sees it.
    private func measure(
        store: Store, state: URL, hints: Bool, wait: @Sendable (Int64) async -> Void
    ) async throws -> (latency: LatencyStats, write: LatencyStats) {
        var revision = try await store.currentRevision()
        var arguments = ["hints", "writer", "--store", state.path, "--count", "\(samples)", "--pause-ms", "\(intervalMilliseconds)"]
        if !hints { arguments.append("--no-hints") }
        // Its few summary lines fit the pipe's buffer: read once it has ended.
        let writer = try SpawnedProcess(
            executable: BusBenchPeer.ownExecutable, arguments: arguments, environment: SpawnedProcess.currentEnvironment(),
            output: .pipe, error: .inherit)
        var latency = LatencyStats()
        let deadline = ContinuousClock.now + .seconds(Double(samples * (intervalMilliseconds + pollMilliseconds)) / 1000 + 30)
        while latency.samples.count < samples, ContinuousClock.now < deadline {
            // A writer that died early (its error is on stderr) ends the wait.
            if let exit = writer.exitIfEnded, exit != .exited(0) { break }
            await wait(revision)
            let woke = MonotonicNanoseconds.now()
            for change in try await store.changes(after: revision) {
                revision = change.revision
                guard change.verb == .created,
                      let written = try await store.find(kind: change.kind, name: change.name)?.metadata.annotations?[Self.stampKey],
                      let start = Int64(written)
                else { continue }
                latency.record(.nanoseconds(woke - start))
            }
        }
        var bytes: [UInt8] = []
        if let output = writer.outputDescriptor { SpawnedProcess.readToEnd(output) { bytes += $0 } }
        _ = writer.waitForExit()
        let summary = String(decoding: bytes, as: UTF8.self)
        var write = LatencyStats()
        for line in summary.split(separator: "\n") { if let nanoseconds = Int64(line) { write.record(.nanoseconds(nanoseconds)) } }
        guard latency.samples.count == samples else {
            throw ValidationError("the watcher saw \(latency.samples.count) of \(samples) writes")
        }
        return (latency, write)
    }
}

/// The writing process: creates one Environment per sample, stamped with its start time; with
/// hints, its store sends `store.changed` as a daemon's does. Prints each write's duration (ns).
struct HintWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "writer", abstract: "The writing process of `hints` (internal).")

    // Names of their own: the parent command's options would take `--samples` and `--interval-ms`.
    @Option(name: .customLong("store")) var state: String
    @Option(name: .customLong("count")) var samples: Int
    @Option(name: .customLong("pause-ms")) var intervalMilliseconds: Int
    @Flag(name: .customLong("no-hints")) var noHints = false

    func run() async throws {
        let stateURL = URL(fileURLWithPath: state, isDirectory: true)
        let directory = ServiceDirectory(runDirectory: stateURL.appendingPathComponent("run").path)
        let hints = StoreChangeHints(
            directory: directory, ownSocket: nil, from: "bench-writer-\(getpid())", local: StoreChangeSignal())
        let sending = Task { try await hints.run() }
        let observer: (@Sendable (Int64) -> Void)? = noHints ? nil : { @Sendable revision in hints.committed(revision) }
        let store = try await Store.open(
            stateDirectory: stateURL, validate: ResourceValidator.validate, options: StoreOptions(changeObserver: observer))
        var durations: [Int64] = []
        for index in 0..<samples {
            let start = MonotonicNanoseconds.now()
            _ = try await store.seed(Resource(
                apiVersion: "metal.sidero.dev/v1alpha2", kind: "Environment",
                metadata: ObjectMeta(name: "hint-\(noHints ? "p" : "h")-\(index)", annotations: [HintBench.stampKey: "\(start)"]),
                body: ["spec": [:]]))
            durations.append(MonotonicNanoseconds.now() - start)
            try await Task.sleep(for: .milliseconds(intervalMilliseconds))
        }
        try await Task.sleep(for: .milliseconds(200))
        sending.cancel()
        print(durations.map(String.init).joined(separator: "\n"))
    }
}

/// CLOCK_MONOTONIC in nanoseconds: one clock for every process on the machine.
enum MonotonicNanoseconds {
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
