import AnvilSpawn
@testable import AnvilStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// Issue 18: "PostgreSQL restarted under load: connections re-established, in-flight writes either
/// committed or reported, never doubled". Restarts the local server (`pg_ctlcluster`), so it is
/// short and serialized.
///
/// The restart breaks every other PostgreSQL test running in parallel on the same server, so
/// `.ci/run` runs it (with MultiHostTests) on its own, before the main run skips both.
@Suite(.serialized)
struct PostgresRestartTests {
    /// One create's outcome and how long the call took.
    struct Call: Sendable {
        var name: String
        var seconds: Double
        var error: String?
    }

    /// What the writer did, shared with the task that stops it.
    final class Recorder: Sendable {
        let calls = Mutex<[Call]>([])
        let stop = Atomic<Bool>(false)
    }

    @Test func writesSurviveARestartWithoutHangingOrDoubling() async throws {
        try await PostgresTestDatabase.with { database in
            // A short busy timeout keeps the operation deadline (6 × busyTimeout + 5 s) small.
            let options = StoreOptions(busyTimeout: 2, busyRetries: 1)
            let bound = 6 * options.busyTimeout + 5 + 3
            let store = try await Store.open(
                location: .postgres(url: database.url), secretsKey: URL(fileURLWithPath: database.keyPath),
                options: options)
            let recorder = Recorder()
            let started = ContinuousClock.now
            let outcome = try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    var index = 0
                    while !recorder.stop.load(ordering: .relaxed) {
                        let name = "restart-\(index)"
                        index += 1
                        let begin = ContinuousClock.now
                        var failure: String?
                        do {
                            _ = try await store.create(server(name))
                        } catch {
                            failure = "\(error)"
                        }
                        let call = Call(name: name, seconds: Self.seconds(begin.duration(to: .now)), error: failure)
                        recorder.calls.withLock { $0.append(call) }
                    }
                    return nil
                }
                group.addTask {
                    // Let some creates commit, then restart the server under them.
                    try await Task.sleep(for: .milliseconds(300))
                    let finished = try await SpawnedProcess.runInBackground(
                        "/usr/bin/pg_ctlcluster", ["15", "main", "restart"])
                    let restarted = Self.seconds(started.duration(to: .now))
                    // Keep writing for a while after the server is back.
                    try await Task.sleep(for: .seconds(3))
                    recorder.stop.store(true, ordering: .relaxed)
                    return "restart exit \(finished.status) at \(restarted) s"
                }
                group.addTask {
                    // A watchdog: a create that never returns is the bug, not a slow test.
                    try await Task.sleep(for: .seconds(60))
                    return "hung"
                }
                var results: [String] = []
                while results.count < 2, let next = try await group.next() {
                    if let next {
                        results.append(next)
                        if next == "hung" { break }
                    } else {
                        results.append("writer done")
                    }
                }
                group.cancelAll()
                return results.joined(separator: "; ")
            }
            let recorded = recorder.calls.withLock { $0 }
            let failed = recorded.filter { $0.error != nil }
            let slowest = recorded.map(\.seconds).max() ?? 0
            print(
                "restart test: \(outcome); \(recorded.count) creates, \(failed.count) failed, slowest \(slowest) s; "
                    + "errors: \(Array(Set(failed.compactMap(\.error))).prefix(4))")
            #expect(!outcome.contains("hung"), "\(outcome)")
            #expect(outcome.contains("restart exit 0"), "\(outcome)")
            #expect(slowest < bound, "a create took \(slowest) s (bound \(bound) s)")
            // Every failure is a StoreError.database.
            for call in failed {
                #expect(call.error?.contains("database") == true, "\(call.name): \(call.error ?? "")")
            }

            // Once the server is back, writes succeed.
            let after = ContinuousClock.now
            _ = try await store.create(server("after-restart"))
            #expect(Self.seconds(after.duration(to: .now)) < bound)

            // Never doubled, never lost: the rows are the successes plus some of the unknown outcomes.
            let names = Set(
                try await database.execute("SELECT name FROM resources WHERE kind = 'Server'").map {
                    try $0.decode(String.self)
                })
            let succeeded = Set(recorded.filter { $0.error == nil }.map(\.name))
            let unknown = Set(failed.filter { $0.error?.contains("outcome is unknown") == true }.map(\.name))
            let total = try await database.execute("SELECT count(*) FROM resources WHERE kind = 'Server'").map {
                try $0.decode(Int64.self)
            }
            #expect(total == [Int64(names.count)])
            #expect(succeeded.isSubset(of: names), "lost: \(succeeded.subtracting(names).sorted())")
            let extra = names.subtracting(succeeded).subtracting(["after-restart"])
            #expect(extra.isSubset(of: unknown), "stored though reported failed: \(extra.subtracting(unknown).sorted())")
            #expect(names.contains("after-restart"))
            await store.close()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
