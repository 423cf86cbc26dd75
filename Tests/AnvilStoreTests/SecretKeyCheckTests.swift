import AnvilResources
import AnvilStore
import Foundation
import Testing

/// A lost or wrong `secrets.key` is a clear error at open naming the file, never a silent new
/// key that would orphan every stored Secret.
@Suite struct SecretKeyCheckTests {
    static func keyPath(_ directory: URL) -> String { directory.appendingPathComponent("secrets.key").path }

    @Test func freshDirectoryCreatesTheKey() async throws {
        try await withTemporaryDirectory { directory in
            _ = try await Store.open(stateDirectory: directory)
            #expect(FileManager.default.fileExists(atPath: Self.keyPath(directory)))
            // Opening again keeps the same key and passes the check.
            _ = try await Store.open(stateDirectory: directory)
        }
    }

    @Test func missingKeyWithSealedSecretsIsRefusedAndNoKeyIsCreated() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(secret("bmc", body: ["stringData": ["pass": "hunter2"]]))
            try FileManager.default.removeItem(atPath: Self.keyPath(directory))

            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            let text = error?.description ?? ""
            print("missing key: \(text)")
            #expect(text.contains("\(Self.keyPath(directory)) is missing"))
            #expect(text.contains("holds 1 Secret(s)"))
            #expect(text.contains("restore secrets.key from a backup"))
            #expect(!FileManager.default.fileExists(atPath: Self.keyPath(directory)), "no new key was created")
        }
    }

    @Test func replacedKeyIsRefusedAndTheOriginalStillWorks() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(secret("bmc", body: ["stringData": ["pass": "hunter2"]]))
            let original = try Data(contentsOf: URL(fileURLWithPath: Self.keyPath(directory)))
            try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: Self.keyPath(directory)))

            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            let text = error?.description ?? ""
            print("wrong key: \(text)")
            #expect(text.contains("\(Self.keyPath(directory)) is not the key the Secrets in"))
            #expect(text.contains("restore the original secrets.key"))

            // Restoring the original key brings every Secret back.
            try original.write(to: URL(fileURLWithPath: Self.keyPath(directory)))
            let restored = try await Store.open(stateDirectory: directory)
            #expect(try await restored.get(kind: "Secret", namespace: "default", name: "bmc").body["stringData"]?["pass"] == "hunter2")
        }
    }

    @Test func truncatedKeyIsAClearError() async throws {
        try await withTemporaryDirectory { directory in
            _ = try await Store.open(stateDirectory: directory)
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: Self.keyPath(directory)))
            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            #expect(error?.description.contains("\(Self.keyPath(directory)) must hold exactly 32 bytes, found 3") == true)
        }
    }

    @Test func lostKeyWithoutSecretsIsReplaced() async throws {
        // Nothing is sealed, so nothing can be orphaned: a new key is made and recorded.
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(server("s1"))
            try FileManager.default.removeItem(atPath: Self.keyPath(directory))
            let reopened = try await Store.open(stateDirectory: directory)
            _ = try await reopened.create(secret("later", body: ["stringData": ["v": "x"]]))
            let again = try await Store.open(stateDirectory: directory)
            #expect(try await again.get(kind: "Secret", namespace: "default", name: "later").body["stringData"]?["v"] == "x")
        }
    }
}
