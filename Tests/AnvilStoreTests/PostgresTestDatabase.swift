@testable import AnvilStore
import Foundation
import PostgresNIO
import Testing

/// A PostgreSQL schema of its own per test, dropped afterwards. The server comes from
/// ANVIL_TEST_POSTGRES_URL, which `.ci/run` sets after starting PostgreSQL; without it the
/// PostgreSQL tests fail (they never skip silently).
struct PostgresTestDatabase: Sendable {
    static let variable = "ANVIL_TEST_POSTGRES_URL"

    /// The server's URL, or a recorded failure saying how to get one.
    static func baseURL() -> String? {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else {
            let message = "\(variable) is not set: the PostgreSQL store tests need a server (.ci/run starts PostgreSQL "
                + "and sets it, e.g. \(variable)=postgres://anvil:anvil@127.0.0.1:5432/anvil)"
            Issue.record(Comment(rawValue: message))
            return nil
        }
        return url
    }

    let url: String
    let schema: String
    let keyDirectory: URL

    var keyPath: String { keyDirectory.appendingPathComponent("secrets.key").path }

    /// Runs `body` with a fresh schema and key directory; drops both afterwards.
    static func with(_ body: (PostgresTestDatabase) async throws -> Void) async throws {
        guard let base = baseURL() else { return }
        let schema = "anvil_t_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let separator = base.contains("?") ? "&" : "?"
        let database = PostgresTestDatabase(
            url: base + separator + "schema=" + schema, schema: schema,
            keyDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("anvil-pg-\(schema)"))
        try FileManager.default.createDirectory(at: database.keyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: database.keyDirectory) }
        do {
            try await body(database)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    func open(options: StoreOptions = StoreOptions(), keyPath: String? = nil) async throws -> PostgresBackend {
        try await PostgresBackend.open(url: url, keyPath: keyPath ?? self.keyPath, options: options).backend
    }

    /// Opens a back-end, runs `body`, closes it.
    func withBackend(options: StoreOptions = StoreOptions(), _ body: (PostgresBackend) async throws -> Void) async throws {
        let backend = try await open(options: options)
        do {
            try await body(backend)
        } catch {
            await backend.close()
            throw error
        }
        await backend.close()
    }

    /// Runs SQL on a connection of its own (search_path = the test's schema).
    func execute(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await withConnection { connection, logger in try await connection.query(query, logger: logger).collect() }
    }

    /// A connection of the test's own (application_name "anvil-test", search_path = the test's schema).
    func withConnection<T: Sendable>(_ body: (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let parsed = try PostgresURL(parsing: url)
        var logger = Logger(label: "anvil.test.postgres")
        logger.logLevel = .critical
        var configuration = try parsed.connectionConfiguration(options: StoreOptions())
        configuration.options.additionalStartupParameters.removeAll { $0.0 == "application_name" }
        configuration.options.additionalStartupParameters.append(("application_name", "anvil-test"))
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection, logger)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func drop() async throws {
        _ = try await execute(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"))
    }
}

/// A hand-made row, as the shared codec would store it.
func storedRow(
    _ name: String, kind: String = "Server", namespace: String = "", body: String = "{}", sealed: Data? = nil,
    revision: Int64
) -> StoredRow {
    StoredRow(
        kind: kind, namespace: namespace, name: name, uid: "uid-\(name)", apiVersion: "metal.sidero.dev/v1alpha2",
        metadata: "{\"name\":\"\(name)\"}", body: body, sealed: sealed, revision: revision)
}
