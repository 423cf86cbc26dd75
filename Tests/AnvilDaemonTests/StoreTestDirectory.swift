import AnvilJSON
import AnvilResources
import AnvilStore
import Foundation

/// A store in a temporary directory, removed when the test ends.
func withTemporaryStore<T>(options: StoreOptions = StoreOptions(), _ body: (Store, URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-daemon-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate, options: options)
    return try await body(store, directory)
}

/// A minimal valid object for change-feed tests.
func environment(_ name: String) -> Resource {
    Resource(apiVersion: "metal.sidero.dev/v1alpha2", kind: "Environment", metadata: ObjectMeta(name: name), body: ["spec": [:]])
}
