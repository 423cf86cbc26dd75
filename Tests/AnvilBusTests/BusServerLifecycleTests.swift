@testable import AnvilBus
import AnvilJSON
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Leaves a socket file that nobody listens on, as a killed server would.
func makeStaleSocket(at path: String) throws {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXFailure(operation: "socket", code: errno) }
    defer { close(fd) }
    let result = UnixSocket.withAddress(path) { bind(fd, $0, $1) }
    guard result == 0 else { throw POSIXFailure(operation: "bind", code: errno) }
}

func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return info.st_mode
}

@Suite struct BusServerLifecycleTests {
    @Test func staleSocketIsRemovedOnStart() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/stale.sock"
            try makeStaleSocket(at: path)
            #expect(fileMode(path) != nil)
            #expect(throws: (any Error).self) { try RawSocket(path: path) }

            let server = try await RunningServer.start(path: path)
            let client = BusClient(socketPath: path)
            #expect(try await client.call("echo", params: ["fresh"]) == ["fresh"])
            await client.close()
            try await server.stop()
            #expect(fileMode(path) == nil, "the socket file is removed on shutdown")
        }
    }

    @Test func liveServerIsNotDisplaced() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/live.sock"
            let server = try await RunningServer.start(path: path)
            let intruder = BusServer(socketPath: path, router: BusRouter(), logger: testLogger)
            let error = await expectBusError { try await intruder.run() }
            #expect(error?.code == BusError.addressInUseCode)
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("in use") == true)
            // The first server still serves.
            let client = BusClient(socketPath: path)
            #expect(try await client.call("add", params: [1, 2]) == 3)
            await client.close()
            try await server.stop()
        }
    }

    @Test func regularFileIsNotDeleted() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/file.sock"
            _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
            let server = BusServer(socketPath: path, router: BusRouter(), logger: testLogger)
            let error = await expectBusError { try await server.run() }
            #expect(error?.code == BusError.addressInUseCode)
            #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
        }
    }

    @Test func socketModeIs0660() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/mode.sock"
            let server = try await RunningServer.start(path: path)
            // The socket accepts its owner's connections as soon as it is bound (umask gives
            // 0755, owner-only for a socket); the group is let in by a chmod just after, so
            // readiness can be observed a moment before the mode changes.
            var mode = try #require(fileMode(path))
            for _ in 0..<500 where mode & 0o777 != 0o660 {
                try await Task.sleep(for: .milliseconds(10))
                mode = try #require(fileMode(path))
            }
            #expect(mode & S_IFMT == S_IFSOCK)
            #expect(mode & 0o777 == 0o660)
            try await server.stop()
        }
    }

    @Test func overlongSocketPathIsReportedByName() async throws {
        let path = "/tmp/" + String(repeating: "d", count: 120) + "/bus.sock"
        let server = BusServer(socketPath: path, router: BusRouter(), logger: testLogger)
        let serverError = await expectBusError { try await server.run() }
        #expect(serverError?.code == BusError.socketPathTooLongCode)
        #expect(serverError?.message.contains(path) == true)

        let client = BusClient(socketPath: path)
        let clientError = await expectBusError { try await client.call("echo") }
        #expect(clientError?.code == BusError.socketPathTooLongCode)
    }

    @Test func statisticsAreExposedAsJSON() async throws {
        try await withTemporaryDirectory { directory in
            let server = try await RunningServer.start(path: "\(directory)/s.sock")
            let client = BusClient(socketPath: server.path)
            _ = try await client.call("echo", params: [1])
            _ = try? await client.call("nope")
            let json = server.server.statistics.json
            #expect(json["requestsServed"] == 2)
            #expect(json["errors"] == 1)
            #expect(json["connectionsAccepted"] == 2)  // the readiness probe, then the client
            #expect(json["activeConnections"] == 1)
            await client.close()
            try await server.stop()
        }
    }
}
