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
