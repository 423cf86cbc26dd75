import AnvilSpawn
import AnvilStore
import Foundation
import Testing

/// A corrupt or foreign `anvil.db` is refused at open with its path, and left as it was.
@Suite struct StoreFileCheckTests {
    @Test func garbageDatabaseFileIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("anvil.db")
            let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            try garbage.write(to: database)
            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            print("garbage db: \(error?.description ?? "")")
            #expect(error?.description.contains("\(database.path) is not an SQLite database") == true)
            #expect(try Data(contentsOf: database) == garbage, "the file is untouched")
        }
    }

    @Test func foreignSQLiteDatabaseIsRefusedAndUntouched() async throws {
        try await withTemporaryDirectory { directory in
            let database = directory.appendingPathComponent("anvil.db")
            let made = try await sqlite3(database.path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('x');")
            #expect(made.status == 0)
            let before = try Data(contentsOf: database)
            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            print("foreign db: \(error?.description ?? "")")
            #expect(error?.description.contains("\(database.path) is not an Anvil store") == true)
            #expect(error?.description.contains("moz_places") == true)
            #expect(try Data(contentsOf: database) == before, "the foreign database is untouched")
            let journal = try await sqlite3(database.path, "PRAGMA journal_mode;")
            #expect(journal.output.trimmingCharacters(in: .whitespacesAndNewlines) == "delete", "not switched to WAL")
        }
    }

    @Test func truncatedDatabaseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await Store.open(stateDirectory: directory)
            _ = try await store.create(server("s1"))
            let database = directory.appendingPathComponent("anvil.db")
            // Overwrite the schema page with zeros past the header: sqlite sees a malformed schema.
            let handle = try FileHandle(forWritingTo: database)
            try handle.seek(toOffset: 100)
            handle.write(Data(repeating: 0xA5, count: 3900))
            try handle.close()
            for name in ["anvil.db-wal", "anvil.db-shm"] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
            let error = await #expect(throws: StoreError.self) { _ = try await Store.open(stateDirectory: directory) }
            print("damaged db: \(error?.description ?? "")")
            #expect(error?.description.contains(database.path) == true)
        }
    }
}

/// Runs the sqlite3 shell (installed with the test peers) on `path`.
func sqlite3(_ path: String, _ sql: String) async throws -> (status: Int32, output: String) {
    let finished = try await SpawnedProcess.runInBackground("/usr/bin/sqlite3", [path, sql], error: .toOutput)
    return (finished.status, finished.outputText)
}
