import AnvilBus
import AnvilJSON
import Foundation
import Testing

@Suite struct ServiceDirectoryTests {
    @Test func pathsFollowTheNamingScheme() throws {
        let base = try makeTemporaryDirectory()
        defer { removeDirectory(base) }
        let directory = ServiceDirectory(runDirectory: "\(base)/run")
        #expect(directory.socketPath(service: "bmcd") == "\(base)/run/bmcd.sock")
        #expect(directory.socketPath(service: "bootd", instance: "2") == "\(base)/run/bootd-2.sock")
        let fromEnvironment = ServiceDirectory.fromEnvironment(["ANVIL_RUN_DIR": "\(base)/env"])
        #expect(fromEnvironment.runDirectory == "\(base)/env")
    }

    @Test func createsTheRunDirectoryWithMode0770() throws {
        let base = try makeTemporaryDirectory()
        defer { removeDirectory(base) }
        let run = "\(base)/state/run"
        let directory = ServiceDirectory(runDirectory: run)
        let mode = try #require(fileMode(run))
        #expect(mode & 0o777 == 0o770)
        #expect(directory.services().isEmpty)
        #expect(directory.instances(of: "bmcd").isEmpty)
    }

    @Test func overlongPathsAreRejectedByName() throws {
        // A run directory that cannot exist (too long a name component) but whose socket paths can be checked.
        let directory = ServiceDirectory(runDirectory: "/tmp/anvil-bus-missing/" + String(repeating: "n", count: 110))
        #expect(throws: BusError.self) { try directory.validatedSocketPath(service: "bmcd") }
        do {
            _ = try directory.validatedSocketPath(service: "bmcd")
        } catch let error as BusError {
            #expect(error.message.contains(directory.socketPath(service: "bmcd")))
        }
        let short = ServiceDirectory(runDirectory: "/tmp")
        #expect(try short.validatedSocketPath(service: "bmcd", instance: "a") == "/tmp/bmcd-a.sock")
        removeDirectory("/tmp/anvil-bus-missing")
    }

    @Test func discoversInstancesAndRemovesStaleSockets() async throws {
        try await withTemporaryDirectory { base in
            let directory = ServiceDirectory(runDirectory: base)
            let bmcA = try await RunningServer.start(path: directory.socketPath(service: "bmcd", instance: "a"))
            let bmcB = try await RunningServer.start(path: directory.socketPath(service: "bmcd", instance: "b"))
            let reconciler = try await RunningServer.start(path: directory.socketPath(service: "reconciler"))
            try makeStaleSocket(at: directory.socketPath(service: "bootd", instance: "1"))
            _ = FileManager.default.createFile(atPath: "\(base)/notes.sock", contents: Data())  // not a socket
            _ = FileManager.default.createFile(atPath: "\(base)/bmcd.txt", contents: Data())

            #expect(directory.instances(of: "bmcd") == ["\(base)/bmcd-a.sock", "\(base)/bmcd-b.sock"])
            #expect(directory.instances(of: "reconciler") == ["\(base)/reconciler.sock"])
            let all = directory.services()
            #expect(all.map(\.service) == ["bmcd", "bmcd", "bootd", "reconciler"])
            #expect(all.map(\.instance) == ["a", "b", "1", nil])
            #expect(all.map(\.path) == ["bmcd-a", "bmcd-b", "bootd-1", "reconciler"].map { "\(base)/\($0).sock" })

            let removed = directory.removeStale()
            #expect(removed == ["\(base)/bootd-1.sock"])
            #expect(directory.instances(of: "bootd").isEmpty)
            #expect(directory.services().count == 3)

            // Every discovered instance answers.
            for path in directory.instances(of: "bmcd") {
                let client = BusClient(socketPath: path)
                #expect(try await client.call("echo", params: [.string(path)]) == [.string(path)])
                await client.close()
            }
            try await bmcA.stop()
            #expect(directory.instances(of: "bmcd") == ["\(base)/bmcd-b.sock"])
            try await bmcB.stop()
            try await reconciler.stop()
            #expect(directory.services().isEmpty)
        }
    }
}
