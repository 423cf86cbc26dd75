import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation

/// A fresh state directory per test, removed afterwards.
func withTemporaryDirectory(_ body: (URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("anvil-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory)
}

/// A store in a fresh temporary directory.
func withStore(
    options: StoreOptions = StoreOptions(),
    validate: @escaping @Sendable (Resource) throws -> Resource = { $0 },
    _ body: (Store, URL) async throws -> Void
) async throws {
    try await withTemporaryDirectory { directory in
        let store = try await Store.open(stateDirectory: directory, validate: validate, options: options)
        try await body(store, directory)
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
