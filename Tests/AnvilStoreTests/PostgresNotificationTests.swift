@testable import AnvilStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// Change notifications across hosts (docs/architecture.md "Change feed and hints"): two
/// ``Store``s on one schema stand for two hosts; a third on another schema must hear nothing.
@Suite struct PostgresNotificationTests {
    @Test func aWriteOnOneHostReachesAnotherAtOnceAndNoOtherSchema() async throws {
        try await PostgresTestDatabase.with { database in
            try await PostgresTestDatabase.with { other in
                let a = try await Self.open(database)
                let b = try await Self.open(database)
                let stranger = try await Self.open(other)
                let heard = try RevisionCollector(#require(b.changeNotifications()))
                let alsoHeard = try RevisionCollector(#require(b.changeNotifications()))
                let strangerHeard = try RevisionCollector(#require(stranger.changeNotifications()))
                // The first element after connecting is the current revision: then the listener is in force.
                #expect(await heard.waitFor(within: .seconds(5)) { $0 == [0] })
                #expect(await strangerHeard.waitFor(within: .seconds(5)) { $0 == [0] })
                let stampBefore = b.changeStamp()

                let written = try await a.create(server("one"))
                let revision = try #require(written.metadata.resourceVersion.flatMap { Int64($0) })
                #expect(await heard.waitFor(within: .seconds(2)) { $0.contains(revision) }, "\(heard.revisions)")
                #expect(await alsoHeard.waitFor(within: .seconds(2)) { $0.contains(revision) }, "\(alsoHeard.revisions)")
                #expect(b.changeStamp() != stampBefore)
                #expect(b.changeStamp() == StoreChangeStamp(revision: revision))

                // Several subscribers, one connection; and the other schema heard nothing.
                let listeners = try await database.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = \("anvil-listen/" + database.schema)"
                ).map { try $0.decode(Int64.self) }
                #expect(listeners == [1])
                try await Task.sleep(for: .milliseconds(300))
                #expect(strangerHeard.revisions == [0])

                for collector in [heard, alsoHeard, strangerHeard] { collector.stop() }
                for store in [a, b, stranger] { await store.close() }
            }
        }
    }

    @Test func aListenerWhoseConnectionIsKilledCatchesUpFromTheFeed() async throws {
        try await PostgresTestDatabase.with { database in
            let a = try await Self.open(database)
            let b = try await Self.open(database)
            let heard = try RevisionCollector(#require(b.changeNotifications()))
            #expect(await heard.waitFor(within: .seconds(5)) { $0 == [0] })

            let listenerName = "anvil-listen/" + database.schema
            let killed = try await database.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(listenerName)"
            ).map { try $0.decode(Bool.self) }
            #expect(killed == [true])
            // Written while the listener is down (it waits before reconnecting): no notification reaches it.
            let written = try await a.create(server("while-down"))
            let revision = try #require(written.metadata.resourceVersion.flatMap { Int64($0) })
            #expect(await heard.waitFor(within: .seconds(5)) { $0.contains { $0 >= revision } }, "\(heard.revisions)")

            // Listening again: the next write is notified.
            let next = try await a.create(server("after"))
            let nextRevision = try #require(next.metadata.resourceVersion.flatMap { Int64($0) })
            #expect(await heard.waitFor(within: .seconds(2)) { $0.contains(nextRevision) }, "\(heard.revisions)")
            let listeners = try await database.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = \(listenerName)"
            ).map { try $0.decode(Int64.self) }
            #expect(listeners == [1])

            heard.stop()
            await a.close()
            await b.close()
        }
    }

    @Test func closingEndsTheStreamsAndReleasesTheConnection() async throws {
        try await PostgresTestDatabase.with { database in
            let store = try await Self.open(database)
            let heard = try RevisionCollector(#require(store.changeNotifications()))
            #expect(await heard.waitFor(within: .seconds(5)) { $0 == [0] })
            await store.close()
            #expect(await heard.finished(within: .seconds(2)))
            let listeners = try await database.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = \("anvil-listen/" + database.schema)"
            ).map { try $0.decode(Int64.self) }
            #expect(listeners == [0])
        }
    }

    @Test func sqliteHasNoNotifications() async throws {
        try await withStore(.sqlite) { store, _ in
            #expect(store.changeNotifications() == nil)
        }
    }

    @Test func channelNamesAreIdentifiersPerSchema() async throws {
        #expect(PostgresChangeListener.channel(schema: "public") == "anvil_changes_public")
        let long = String(repeating: "s", count: 60)
        let longA = PostgresChangeListener.channel(schema: long + "aaa")
        let longB = PostgresChangeListener.channel(schema: long + "bbb")
        #expect(longA.utf8.count <= 63 && longB.utf8.count <= 63)
        #expect(longA != longB)
        #expect(longA == PostgresChangeListener.channel(schema: long + "aaa"))
        // The server takes it as it is (pg_notify refuses a channel longer than 63 bytes).
        try await PostgresTestDatabase.with { database in
            _ = try await database.execute("SELECT pg_notify(\(longA), '1')")
        }
    }

    static func open(_ database: PostgresTestDatabase) async throws -> Store {
        try await Store.open(location: .postgres(url: database.url), secretsKey: URL(fileURLWithPath: database.keyPath))
    }
}

/// Reads a notification stream in a task of its own, so a test can wait for it with a deadline.
final class RevisionCollector: Sendable {
    private struct State {
        var revisions: [Int64] = []
        var finished = false
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ stream: AsyncStream<Int64>) {
        task.withLock { task in
            task = Task { [self] in
                for await revision in stream { state.withLock { $0.revisions.append(revision) } }
                state.withLock { $0.finished = true }
            }
        }
    }

    var revisions: [Int64] { state.withLock { $0.revisions } }

    /// Whether `condition` held of the revisions within `timeout`.
    func waitFor(within timeout: Duration, _ condition: ([Int64]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(revisions) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(revisions)
    }

    /// Whether the stream ended within `timeout`.
    func finished(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.finished }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return state.withLock { $0.finished }
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
