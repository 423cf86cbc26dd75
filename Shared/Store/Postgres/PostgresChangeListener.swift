import Foundation
import PostgresNIO
import Synchronization

/// Other hosts' commits, heard as PostgreSQL notifications (docs/architecture.md "Change feed and
/// hints"; docs/plans/issue-18-store-backends.md §5 slice 4, §6). Every resource write runs
/// `pg_notify` on the schema's ``channel(schema:)``; this listens on one dedicated connection (not
/// the pool's: a LISTEN lasts as long as its connection) in a task it owns, started by the first
/// ``subscribe()`` and ended by ``close()``, and hands each revision to every subscriber.
///
/// The feed is the truth, a notification only a hint: after every (re)connect the current
/// revision is yielded first, so what was committed while the connection was down is not missed.
/// A dropped connection is reopened after a pause that grows to ``longestPause``.
final class PostgresChangeListener: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Int64>.Continuation] = [:]
        var nextID = 0
        var task: Task<Void, Never>?
        var closed = false
        /// The newest revision heard.
        var latest: Int64 = 0
    }

    static let firstPause: Duration = .milliseconds(100)
    static let longestPause: Duration = .seconds(5)
    /// LISTEN and the first read of the revision, together (connecting has its own timeout,
    /// ``PostgresURL/connectTimeout``).
    static let establishLimit: Duration = .seconds(30)

    let configuration: PostgresConnection.Configuration
    let channel: String
    let logger: Logger
    private let state = Mutex(State())

    init(configuration: PostgresConnection.Configuration, channel: String, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.logger = logger
    }

    /// `anvil_changes_<schema>`: one channel per schema, so stores sharing a database do not wake
    /// each other. A channel is an identifier of at most 63 bytes (pg_notify refuses a longer one,
    /// LISTEN truncates it), so a long schema name is cut and a hash of the whole appended.
    static func channel(schema: String) -> String {
        let prefix = "anvil_changes_"
        if prefix.utf8.count + schema.utf8.count <= 63 { return prefix + schema }
        // FNV-1a: the same on every host and in every process (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in schema.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        let suffix = "_" + String(repeating: "0", count: 16 - hex.count) + hex
        // Schema names are ASCII (PostgresURL allows a-z, 0-9 and _), so characters are bytes.
        return prefix + schema.prefix(63 - prefix.utf8.count - suffix.utf8.count) + suffix
    }

    /// The newest revision heard (0 before any).
    var latest: Int64 { state.withLock { $0.latest } }

    /// A new stream of the revisions heard from now on, starting the listener if it is not running.
    /// Revisions may repeat or arrive out of order (a reconnect's current revision races the
    /// notifications): each means "the feed reaches at least here". A slow consumer loses the
    /// oldest, never the newest. Finished by ``close()``.
    func subscribe() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(16))
        let id = state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            if state.task == nil { state.task = Task { await self.run() } }
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Stops listening (closing the connection) and finishes every subscriber's stream.
    func close() async {
        let (task, subscribers) = state.withLock { state in
            state.closed = true
            defer {
                state.task = nil
                state.subscribers = [:]
            }
            return (state.task, Array(state.subscribers.values))
        }
        task?.cancel()
        await task?.value
        for subscriber in subscribers { subscriber.finish() }
    }

    private func publish(_ revision: Int64) {
        let subscribers = state.withLock { state in
            state.latest = max(state.latest, revision)
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(revision) }
    }

    private func run() async {
        var pause = Self.firstPause
        while !Task.isCancelled {
            if await listenOnce() { pause = Self.firstPause }
            guard !Task.isCancelled else { break }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, Self.longestPause)
        }
    }

    /// One connection's life: connect, LISTEN, yield the current revision, then each notification
    /// until the connection drops or the task is cancelled. True if it got as far as listening.
    private func listenOnce() async -> Bool {
        let logger = self.logger
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            return false
        }
        // LISTEN and the first read must answer in time; if not, the connection is closed and
        // the caller reconnects (a server half-way through a restart can accept and stay silent).
        let established = Answer<Bool>()
        let watchdog = Task {
            guard (try? await Task.sleep(for: Self.establishLimit)) != nil else { return }
            if established.give(.success(false)) { try? await connection.close() }
        }
        defer { watchdog.cancel() }
        var listening = false
        do {
            try await connection.listen(on: channel) { notifications in
                // Read after LISTEN is in force: a commit after this read is notified, one before it is counted.
                let current = try await connection.rows("SELECT value FROM revision WHERE id = 1", logger: logger)
                    .first.map { try $0.decode(Int64.self) } ?? 0
                guard established.give(.success(true)) else { return }
                listening = true
                publish(current)
                for try await notification in notifications {
                    if let revision = Int64(notification.payload) { publish(revision) }
                }
            }
        } catch {
            // The connection dropped (or LISTEN failed): the caller reconnects after a pause.
        }
        try? await connection.close()
        return listening
    }
}
