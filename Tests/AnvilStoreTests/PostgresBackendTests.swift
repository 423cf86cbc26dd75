@testable import AnvilStore
import Foundation
import PostgresNIO
import Synchronization
import Testing

/// ``PostgresBackend`` driven directly with hand-made rows (the ``Store`` facade over it is tested
/// with the shared store suite). Each test has a schema of its own (``PostgresTestDatabase``).
@Suite struct PostgresBackendTests {
    // MARK: Opening

    @Test func migrationsAreIdempotentAndConcurrentOpensAgree() async throws {
        try await PostgresTestDatabase.with { database in
            let backends = try await withThrowingTaskGroup(of: PostgresBackend.self) { group in
                for _ in 0..<8 { group.addTask { try await database.open() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(backends.count == 8)
            for backend in backends { await backend.close() }
            // Again, on a migrated schema.
            try await database.open().close()
            let ids = try await database.execute("SELECT id FROM anvil_migrations ORDER BY id").map { try $0.decode(String.self) }
            #expect(ids == PostgresMigrations.migrations.map(\.id).sorted())
            let revision = try await database.execute("SELECT count(*) FROM revision").map { try $0.decode(Int64.self) }
            #expect(revision == [1])
        }
    }

    @Test func refusesANewerSchemaAndAForeignOne() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.open().close()
            _ = try await database.execute("INSERT INTO anvil_migrations (id) VALUES ('v99: from the future')")
            await #expect(throws: StoreError.schemaTooNew) { try await database.open() }
        }
        try await PostgresTestDatabase.with { database in
            _ = try await database.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA \"\(database.schema)\""))
            _ = try await database.execute("CREATE TABLE payroll (id int)")
            do {
                _ = try await database.open()
                Issue.record("opened a schema holding other tables")
            } catch {
                #expect("\(error)".contains("payroll") && "\(error)".contains("not an Anvil store"), "\(error)")
            }
        }
    }

    @Test func connectionErrorsNameTheServerNotThePassword() async throws {
        try await PostgresTestDatabase.with { database in
            let good = try PostgresURL(parsing: database.url)
            var wrong = good
            wrong.password = "not-the-password-\(UInt32.random(in: 0...UInt32.max))"
            do {
                _ = try await PostgresBackend.open(url: Self.text(wrong), keyPath: database.keyPath, options: StoreOptions())
                Issue.record("a wrong password was accepted")
            } catch {
                #expect(!"\(error)".contains(wrong.password!), "\(error)")
                #expect("\(error)".contains(good.endpoint), "\(error)")
            }
            var closed = good
            closed.port = 1
            do {
                _ = try await PostgresBackend.open(url: Self.text(closed), keyPath: database.keyPath, options: StoreOptions())
                Issue.record("connected to port 1")
            } catch {
                #expect("\(error)".contains("cannot connect") && "\(error)".contains(closed.endpoint), "\(error)")
                #expect(!"\(error)".contains(":\(good.password ?? "\u{0}")@"), "\(error)")
            }
        }
    }

    // MARK: Resources and the change feed

    @Test func createReplaceRemoveTakeRevisionsAndFeedThem() async throws {
        try await PostgresTestDatabase.with { database in
            let observed = Mutex<[Int64]>([])
            let options = StoreOptions(changeObserver: { revision in observed.withLock { $0.append(revision) } })
            try await database.withBackend(options: options) { backend in
                let key = ResourceKey(kind: "Server", namespace: "", name: "s1")
                #expect(try await backend.currentRevision() == 0)
                let stampBefore = backend.changeStamp()
                let created = try await backend.writeResource(key) { stored, next in
                    #expect(stored == nil && next == 1)
                    return WriteDecision(write: .insert(storedRow("s1", body: "{\"v\":1}", revision: next)), verb: .created, result: next)
                }
                #expect(created == 1 && backend.changeStamp() != stampBefore)
                let replaced = try await backend.writeResource(key) { stored, next in
                    #expect(stored?.body == "{\"v\":1}" && stored?.revision == 1 && next == 2)
                    return WriteDecision(
                        write: .replace(storedRow("s1", body: "{\"v\":2}", sealed: Data([1, 2, 0, 255]), revision: next)),
                        verb: .updated, result: next)
                }
                #expect(replaced == 2)
                let fetched = try #require(try await backend.fetch(key))
                #expect(fetched == storedRow("s1", body: "{\"v\":2}", sealed: Data([1, 2, 0, 255]), revision: 2))
                // A decision that writes nothing takes no revision.
                let nothing = try await backend.writeResource(key) { _, _ in WriteDecision<String>.nothing("same") }
                #expect(nothing == "same")
                let removed = try await backend.writeResource(key) { stored, next in
                    #expect(stored != nil && next == 3)
                    return WriteDecision(write: .remove, verb: .deleted, result: next)
                }
                #expect(removed == 3)
                #expect(try await backend.fetch(key) == nil)
                #expect(try await backend.currentRevision() == 3)
                let changes = try await backend.changes(after: 0, limit: 10)
                #expect(changes.map(\.revision) == [1, 2, 3])
                #expect(changes.map(\.verb) == [.created, .updated, .deleted])
                #expect(changes.allSatisfy { $0.kind == "Server" && $0.name == "s1" && $0.resourceVersion == String($0.revision) })
                #expect(try await backend.changes(after: 1, limit: 1).map(\.revision) == [2])
                #expect(observed.withLock { $0 } == [1, 2, 3])
                #expect(backend.changeStamp() == StoreChangeStamp(revision: 3))

                // Compaction, and a watcher that fell behind it.
                #expect(try await backend.compactChanges(keepingLast: 1) == 2)
                await #expect(throws: StoreError.revisionCompacted(requested: 1, oldestAvailable: 3)) {
                    try await backend.changes(after: 1, limit: 10)
                }
                #expect(try await backend.changes(after: 2, limit: 10).map(\.revision) == [3])
                #expect(try await backend.compactChanges(keepingLast: 0) == 1)
                #expect(try await backend.changes(after: 3, limit: 10).isEmpty)
                #expect(await (try? backend.changes(after: 2, limit: 10)) == nil)
            }
        }
    }

    struct Refusal: Error, Equatable {}

    @Test func aThrowingDecisionWritesNothing() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.withBackend { backend in
                let key = ResourceKey(kind: "Server", namespace: "", name: "s1")
                await #expect(throws: Refusal()) {
                    try await backend.writeResource(key) { _, _ -> WriteDecision<Int> in throw Refusal() }
                }
                await #expect(throws: StoreError.conflict(kind: "Server", namespace: "", name: "s1", expected: "1", actual: "")) {
                    try await backend.writeResource(key) { _, _ -> WriteDecision<Int> in
                        throw StoreError.conflict(kind: "Server", namespace: "", name: "s1", expected: "1", actual: "")
                    }
                }
                #expect(try await backend.currentRevision() == 0)
                #expect(try await backend.fetch(key) == nil)
                #expect(try await backend.changes(after: 0, limit: 10).isEmpty)
                // Inserting over a row the decision saw is the facade's bug, reported clearly.
                _ = try await backend.writeResource(key) { _, next in
                    WriteDecision(write: .insert(storedRow("s1", revision: next)), verb: .created, result: 0)
                }
                await #expect(throws: StoreError.alreadyExists(kind: "Server", namespace: "", name: "s1")) {
                    try await backend.writeResource(key) { _, next in
                        WriteDecision(write: .insert(storedRow("s1", revision: next)), verb: .created, result: 0)
                    }
                }
                #expect(try await backend.currentRevision() == 1)
            }
        }
    }

    @Test func concurrentWritersGetContiguousRevisionsInFeedOrder() async throws {
        try await PostgresTestDatabase.with { database in
            let first = try await database.open()
            let second = try await database.open()
            let tasks = 8
            let writes = 50
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    let backend = task.isMultiple(of: 2) ? first : second
                    group.addTask {
                        for write in 0..<writes {
                            let key = ResourceKey(kind: "Server", namespace: "", name: "s\(write % 5)")
                            _ = try await backend.writeResource(key) { stored, next in
                                let row = storedRow(key.name, body: "{\"task\":\(task),\"write\":\(write)}", revision: next)
                                return WriteDecision(write: stored == nil ? .insert(row) : .replace(row),
                                    verb: stored == nil ? .created : .updated, result: next)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = Int64(tasks * writes)
            #expect(try await first.currentRevision() == total)
            let feed = try await second.changes(after: 0, limit: 1000)
            #expect(feed.map(\.revision) == Array(1...total))
            #expect(feed.filter { $0.verb == .created }.count == 5)
            // Each row's revision is the last feed entry for its key.
            for index in 0..<5 {
                let row = try #require(try await first.fetch(ResourceKey(kind: "Server", namespace: "", name: "s\(index)")))
                #expect(row.revision == feed.last { $0.name == "s\(index)" }?.revision)
            }
            await first.close()
            await second.close()
        }
    }

    @Test func writersRetryContentionAndLostConnections() async throws {
        try await PostgresTestDatabase.with { database in
            let key = ResourceKey(kind: "Server", namespace: "", name: "s1")
            @Sendable func put(_ backend: PostgresBackend) async throws -> Int64 {
                try await backend.writeResource(key) { stored, next in
                    let row = storedRow("s1", revision: next)
                    return WriteDecision(write: stored == nil ? .insert(row) : .replace(row), verb: .updated, result: next)
                }
            }
            let patient = try await database.open(options: StoreOptions(busyTimeout: 0.2, busyRetries: 3))
            let impatient = try await database.open(options: StoreOptions(busyTimeout: 0.05, busyRetries: 0))
            #expect(try await put(patient) == 1)
            try await database.withConnection { connection, logger in
                // Another session holds the revision row past lock_timeout: the writer retries until it lets go.
                try await connection.rows("BEGIN", logger: logger)
                try await connection.rows("SELECT value FROM revision WHERE id = 1 FOR UPDATE", logger: logger)
                async let waiting = put(patient)
                try await Task.sleep(for: .milliseconds(600))
                try await connection.rows("COMMIT", logger: logger)
                #expect(try await waiting == 2)

                // Held past every retry: a StoreError with the SQLSTATE, nothing written.
                try await connection.rows("BEGIN", logger: logger)
                try await connection.rows("SELECT value FROM revision WHERE id = 1 FOR UPDATE", logger: logger)
                do {
                    _ = try await put(impatient)
                    Issue.record("wrote through a held lock")
                } catch {
                    #expect("\(error)".contains("55P03"), "\(error)")
                }
                try await connection.rows("COMMIT", logger: logger)
            }
            #expect(try await patient.currentRevision() == 2)

            // The server drops every pooled connection of this store: the next calls reconnect.
            let schema = database.schema
            let killed = try await database.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \("anvil/" + schema)")
            #expect(!killed.isEmpty)
            #expect(try await patient.currentRevision() == 2)
            #expect(try await put(patient) == 3)
            #expect(try await put(impatient) == 4)
            await patient.close()
            await impatient.close()
        }
    }

    @Test func snapshotsNeverMixStates() async throws {
        try await PostgresTestDatabase.with { database in
            let writer = try await database.open()
            let reader = try await database.open()
            // "a" names the row to read next ("b"); both carry a counter, a written before b.
            @Sendable func write(_ name: String, _ counter: Int) async throws {
                let key = ResourceKey(kind: "Pair", namespace: "ns", name: name)
                _ = try await writer.writeResource(key) { stored, next in
                    let row = storedRow(
                        name, kind: "Pair", namespace: "ns", body: name == "a" ? "\(counter) b" : "\(counter)", revision: next)
                    return WriteDecision(write: stored == nil ? .insert(row) : .replace(row), verb: .updated, result: ())
                }
            }
            try await write("a", 0)
            try await write("b", 0)
            try await write("c", 7)
            let rounds = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for counter in 1...rounds {
                        try await write("a", counter)
                        try await write("b", counter)
                    }
                }
                group.addTask {
                    for _ in 0..<rounds {
                        let (a, b, swallowed) = try await reader.snapshot { rows in
                            let first = try #require(try rows.lookup(ResourceKey(kind: "Pair", namespace: "ns", name: "a")))
                            let parts = first.body.split(separator: " ")
                            // A lookup whose miss a careless body swallows still gets answered on the rerun.
                            let swallowed = (try? rows.lookup(ResourceKey(kind: "Pair", namespace: "ns", name: "c")))?.body
                            let second = try #require(
                                try rows.lookup(ResourceKey(kind: "Pair", namespace: "ns", name: String(parts[1]))))
                            return (Int(parts[0])!, Int(second.body)!, swallowed)
                        }
                        // One view: b is a's counter or, mid-pair, one behind; never ahead.
                        #expect(b == a || b == a - 1, "a=\(a) b=\(b)")
                        #expect(swallowed == "7")
                    }
                }
                try await group.waitForAll()
            }
            await writer.close()
            await reader.close()
        }
    }

    @Test func listsByteWiseByNamespaceThenName() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.withBackend { backend in
                for (namespace, name) in [("b", "x"), ("", "B"), ("", "a"), ("", "_x"), ("", "A"), ("B", "z"), ("", "é")] {
                    let key = ResourceKey(kind: "Server", namespace: namespace, name: name)
                    _ = try await backend.writeResource(key) { _, next in
                        WriteDecision(write: .insert(storedRow(name, namespace: namespace, revision: next)), verb: .created, result: ())
                    }
                }
                _ = try await backend.writeResource(ResourceKey(kind: "Other", namespace: "", name: "0")) { _, next in
                    WriteDecision(write: .insert(storedRow("0", kind: "Other", revision: next)), verb: .created, result: ())
                }
                let all = try await backend.list(kind: "Server", namespace: nil).map { "\($0.namespace)/\($0.name)" }
                #expect(all == ["/A", "/B", "/_x", "/a", "/é", "B/z", "b/x"])
                #expect(try await backend.list(kind: "Server", namespace: "").map(\.name) == ["A", "B", "_x", "a", "é"])
                #expect(try await backend.list(kind: "Server", namespace: "b").map(\.name) == ["x"])
                #expect(try await backend.list(kind: "Nothing", namespace: nil).isEmpty)
            }
        }
    }

    // MARK: Leases, events, boot attempts

    @Test func leasesHaveOneWinnerExpireRenewAndRelease() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            for round in 0..<20 {
                let name = "race-\(round)"
                async let a = one.acquireLease(name: name, holder: "a", now: 1000, seconds: 15)
                async let b = two.acquireLease(name: name, holder: "b", now: 1000, seconds: 15)
                let (wonA, wonB) = try await (a, b)
                #expect(wonA != wonB, "round \(round): a \(wonA), b \(wonB)")
                let lease = try #require(try await one.lease(name: name))
                #expect(lease.holder == (wonA ? "a" : "b"))
            }

            #expect(try await one.lease(name: "r") == nil)
            #expect(try await one.acquireLease(name: "r", holder: "a", now: 100, seconds: 15))
            #expect(try await two.acquireLease(name: "r", holder: "b", now: 110, seconds: 15) == false)
            // Renewal moves the expiry and keeps acquiredAt.
            #expect(try await one.acquireLease(name: "r", holder: "a", now: 110, seconds: 15))
            var lease = try #require(try await two.lease(name: "r"))
            #expect(lease.acquiredAt.timeIntervalSince1970 == 100 && lease.renewedAt.timeIntervalSince1970 == 110)
            #expect(lease.expiresAt.timeIntervalSince1970 == 125)
            #expect(try await two.acquireLease(name: "r", holder: "b", now: 124.9, seconds: 15) == false)
            // Expired (expiresAt <= now): b takes over, with acquiredAt of its own.
            #expect(try await two.acquireLease(name: "r", holder: "b", now: 125, seconds: 1.5))
            lease = try #require(try await one.lease(name: "r"))
            #expect(lease.holder == "b" && lease.acquiredAt.timeIntervalSince1970 == 125 && lease.expiresAt.timeIntervalSince1970 == 126.5)
            // Only the holder releases.
            #expect(try await one.releaseLease(name: "r", holder: "a") == false)
            #expect(try await two.releaseLease(name: "r", holder: "b"))
            #expect(try await one.lease(name: "r") == nil)
            #expect(try await one.acquireLease(name: "r", holder: "a", now: 126, seconds: 15))
            await one.close()
            await two.close()
        }
    }

    @Test func eventsFoldWithinTheWindowAndLimitKeepsTheNewest() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            let retention = EventRetention(maxCount: 100, maxAge: 24 * 3600, pruneEvery: 1, dedupWindow: 60)
            let server = InvolvedObject(kind: "Server", name: "s1")
            @Sendable func record(_ reason: String, count: Int = 1, uid: String? = nil) -> EventRecord {
                var involved = server
                involved.uid = uid
                return EventRecord(involved: involved, type: .normal, reason: reason, message: "m", source: "test", count: count)
            }
            try await one.recordEvents([record("Booted", uid: "u1")], now: 1000, retention: retention)
            try await two.recordEvents([record("Booted", count: 2)], now: 1030, retention: retention)
            var events = try await one.events(kind: "Server", namespace: "", name: "s1", limit: nil)
            #expect(events.count == 1)
            #expect(events.first?.count == 3 && events.first?.involved.uid == "u1")
            #expect(events.first?.firstTimestamp.timeIntervalSince1970 == 1000)
            #expect(events.first?.lastTimestamp.timeIntervalSince1970 == 1030)
            // After the window: a row of its own.
            try await one.recordEvents([record("Booted"), record("Other", count: 0)], now: 1091, retention: retention)
            events = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil)
            #expect(events.map(\.count) == [3, 1])

            // Two hosts folding the same event at once: one row, every count kept.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    let backend = index.isMultiple(of: 2) ? one : two
                    group.addTask { try await backend.recordEvents([record("Race")], now: 2000, retention: retention) }
                }
                try await group.waitForAll()
            }
            let race = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil).filter { $0.reason == "Race" }
            #expect(race.map(\.count) == [10])

            for index in 0..<5 {
                try await one.recordEvents([record("Step \(index)")], now: 3000 + Double(index), retention: retention)
            }
            let newest = try await one.events(kind: "Server", namespace: nil, name: nil, limit: 2)
            #expect(newest.map(\.reason) == ["Step 3", "Step 4"])
            #expect(try await one.events(kind: "Server", namespace: nil, name: "other", limit: nil).isEmpty)
            #expect(try await one.events(kind: nil, namespace: nil, name: nil, limit: 0).isEmpty)

            // Pruning: older than maxAge goes at the next insert (pruneEvery 1).
            let short = EventRetention(maxCount: 3, maxAge: 100, pruneEvery: 1, dedupWindow: 60)
            try await one.recordEvents([record("Late")], now: 3050, retention: short)
            let kept = try await one.events(kind: nil, namespace: nil, name: nil, limit: nil).map(\.reason)
            #expect(kept == ["Step 3", "Step 4", "Late"])
            await one.close()
            await two.close()
        }
    }

    @Test func bootAttemptsStartResumeConflictAndAreUsedOnce() async throws {
        try await PostgresTestDatabase.with { database in
            let one = try await database.open()
            let two = try await database.open()
            let now = Date(timeIntervalSince1970: 5000.7)
            let start = try await one.startBootAttempt(
                uuid: "u1", address: "10.0.0.5", mac: "aa", now: now, windowSeconds: 300, nonce: "0000abcd")
            guard case .started(let attempt) = start else { Issue.record("\(start)"); return }
            #expect(attempt.nonce == "0000abcd" && attempt.issuedAt.timeIntervalSince1970 == 5000)
            #expect(try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.5", mac: nil, now: now + 10, windowSeconds: 300, nonce: "ffffffff") == .resumed(attempt))
            #expect(try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.6", mac: "aa", now: now + 10, windowSeconds: 300, nonce: "ffffffff") == .conflict(attempt))
            #expect(try await two.useBootAttempt(uuid: "u1", nonce: "ffffffff", address: "10.0.0.5", now: 5011) == .notCurrent)
            #expect(try await two.useBootAttempt(uuid: "nobody", nonce: "0000abcd", address: "10.0.0.5", now: 5011) == .notCurrent)

            let uses = try await withThrowingTaskGroup(of: BootAttemptUse.self) { group in
                for index in 0..<16 {
                    let backend = index.isMultiple(of: 2) ? one : two
                    group.addTask {
                        try await backend.useBootAttempt(uuid: "u1", nonce: "0000abcd", address: "10.0.0.5", now: 5020)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(uses.filter { $0 == .first }.count == 1)
            let used = try #require(try await one.bootAttempt(uuid: "u1"))
            #expect(used.configFetchedAt?.timeIntervalSince1970 == 5020 && used.configFetchedFrom == "10.0.0.5")
            #expect(uses.filter { $0 == .again(used) }.count == 15)

            // A used attempt is not live: the next start replaces it.
            let again = try await two.startBootAttempt(
                uuid: "u1", address: "10.0.0.6", mac: nil, now: now + 30, windowSeconds: 300, nonce: "12345678")
            guard case .started(let next) = again else { Issue.record("\(again)"); return }
            #expect(next.configFetchedAt == nil && next.address == "10.0.0.6")
            #expect(try await one.bootAttempt(uuid: "u1") == next)
            // An expired one too, even from another address.
            let late = try await one.startBootAttempt(
                uuid: "u1", address: "10.0.0.7", mac: nil, now: now + 400, windowSeconds: 300, nonce: "87654321")
            guard case .started = late else { Issue.record("\(late)"); return }
            await one.close()
            await two.close()
        }
    }

    // MARK: The secrets key (C7)

    @Test func theFirstOpenRecordsTheKeyAndOthersMustMatchIt() async throws {
        try await PostgresTestDatabase.with { database in
            let opened = try await PostgresBackend.open(url: database.url, keyPath: database.keyPath, options: StoreOptions())
            await opened.backend.close()
            let recorded = try await database.execute("SELECT fingerprint FROM secrets_key_check").map { try $0.decode(String.self) }
            #expect(recorded == [SecretKeyCheck.fingerprint(opened.key)])
            #expect(try SecretKeyFile.load(database.keyPath) == opened.key)
            // The same key again.
            let reopened = try await PostgresBackend.open(url: database.url, keyPath: database.keyPath, options: StoreOptions())
            #expect(reopened.key == opened.key)
            await reopened.backend.close()

            // Another host with a different key is refused, naming its file.
            let otherPath = database.keyDirectory.appendingPathComponent("other.key").path
            _ = try SecretKeyFile.loadOrCreate(at: otherPath)
            do {
                _ = try await database.open(keyPath: otherPath)
                Issue.record("a different key was accepted")
            } catch let error as StoreError {
                guard case .secretKey(let message) = error else { Issue.record("\(error)"); return }
                #expect(message.contains(otherPath))
            }
            // A host with no key file is refused, and no key is created for it.
            let missingPath = database.keyDirectory.appendingPathComponent("missing.key").path
            do {
                _ = try await database.open(keyPath: missingPath)
                Issue.record("a missing key was replaced")
            } catch let error as StoreError {
                guard case .secretKey(let message) = error else { Issue.record("\(error)"); return }
                #expect(message.contains(missingPath) && message.contains("missing"))
            }
            #expect(try SecretKeyFile.load(missingPath) == nil)
            #expect(try await database.execute("SELECT fingerprint FROM secrets_key_check").map { try $0.decode(String.self) } == recorded)
        }
    }

    @Test func hostsStartingWithDifferentKeysAgreeOnOne() async throws {
        try await PostgresTestDatabase.with { database in
            let paths = (0..<4).map { database.keyDirectory.appendingPathComponent("host\($0).key").path }
            for path in paths { _ = try SecretKeyFile.loadOrCreate(at: path) }
            let outcomes = await withTaskGroup(of: Result<[UInt8], any Error>.self) { group in
                for path in paths {
                    group.addTask {
                        do {
                            let opened = try await PostgresBackend.open(url: database.url, keyPath: path, options: StoreOptions())
                            await opened.backend.close()
                            return .success(opened.key)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            for case .failure(let error) in outcomes {
                guard case .secretKey = error as? StoreError else { Issue.record("\(error)"); continue }
            }
        }
    }

    @Test func aSealedRowWithoutAKeyFileIsRefused() async throws {
        try await PostgresTestDatabase.with { database in
            try await database.withBackend { backend in
                _ = try await backend.writeResource(ResourceKey(kind: "Secret", namespace: "default", name: "s")) { _, next in
                    WriteDecision(
                        write: .insert(storedRow("s", kind: "Secret", namespace: "default", sealed: Data([9, 9]), revision: next)),
                        verb: .created, result: ())
                }
            }
            _ = try await database.execute("DELETE FROM secrets_key_check")
            try FileManager.default.removeItem(atPath: database.keyPath)
            await #expect(throws: StoreError.self) { try await database.open() }
            #expect(try SecretKeyFile.load(database.keyPath) == nil)
        }
    }

    // MARK: Helpers

    /// A URL as text, the password percent-encoded.
    static func text(_ url: PostgresURL) -> String {
        let password = url.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
        return "postgres://\(url.user)\(password)@\(url.endpoint)/\(url.database)?schema=\(url.schema)&sslmode=\(url.sslMode.rawValue)"
    }
}
