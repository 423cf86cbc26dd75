import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation
import Testing

/// A fresh state directory per test, removed afterwards.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("anvil-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

/// The back-ends the shared store suite runs against: every test taking a `StoreTestBackend` runs
/// once on each (docs/architecture.md "Store").
enum StoreTestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh store on `backend`: SQLite in a temporary directory, or PostgreSQL in a schema of its
/// own (``PostgresTestDatabase``); the URL is a temporary directory either way (the Secret key
/// lives there), removed afterwards.
func withStore(
    _ backend: StoreTestBackend = .sqlite,
    options: StoreOptions = StoreOptions(),
    validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
    _ body: (Store, URL) async throws -> Void
) async throws {
    switch backend {
    case .sqlite:
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory, validate: validate, options: options)
            try await body(store, directory)
        }
    case .postgres:
        try await PostgresTestDatabase.with { database in
            let store = try await Store.open(
                location: .postgres(url: database.url), secretsKey: URL(fileURLWithPath: database.keyPath),
                validate: validate, options: options)
            do {
                try await body(store, database.keyDirectory)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_611_600)) {  // 2026-11-25T13:00:00Z
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }

    var source: @Sendable () -> Date { { self.now } }
}

func server(_ name: String, labels: [String: String]? = nil, spec: JSONValue = ["accepted": false]) -> Resource {
    Resource(
        apiVersion: "metal.sidero.dev/v1alpha2", kind: "Server",
        metadata: ObjectMeta(name: name, labels: labels), body: ["spec": spec])
}

func secret(_ name: String, namespace: String = "default", body: [String: JSONValue]) -> Resource {
    Resource(apiVersion: "v1", kind: "Secret", metadata: ObjectMeta(name: name, namespace: namespace), body: body)
}
