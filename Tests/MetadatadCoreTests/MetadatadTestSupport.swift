import AnvilResources
import AnvilStore
import Foundation

/// A fresh state directory with a validating store, removed afterwards.
func withTemporaryStore(_ body: (Store, URL) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("metadatad-core-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await Store.open(stateDirectory: directory, validate: ResourceValidator.validate)
    try await body(store, directory)
}
