import AnvilBus
import AnvilJSON
import AnvilSpawn
import ArgumentParser
import Foundation
import Logging

/// The bench's server in a child process: `anvil-bench bus server SOCKET`. It serves until its
/// standard input closes, so it cannot outlive the bench.
struct BusBenchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Internal: serve the bench's echo method.", shouldDisplay: false)

    @Argument var socket: String

    static func router() -> BusRouter {
        var router = BusRouter()
        router.register("echo") { params in params ?? .null }
        return router
    }

    func run() async throws {
        // A plain thread, not the cooperative pool: the blocking read must not take a pool thread.
        Thread.detachNewThread {
            SpawnedProcess.readToEnd(0) { _ in }
            Foundation.exit(0)
        }
        try await BusServer(socketPath: socket, router: Self.router(), logger: Logger(label: "bench")).run()
    }
}

/// A child process the bench talks to, stopped when the bench is done with it.
final class BusBenchPeer: Sendable {
    private let process: SpawnedProcess

    private init(process: SpawnedProcess) {
        self.process = process
    }

    var pid: Int32 { process.pid }

    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func start(executable: String, arguments: [String]) throws -> BusBenchPeer {
        let process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: SpawnedProcess.currentEnvironment(),
            input: .pipe, output: .inherit, error: .inherit)
        return BusBenchPeer(process: process)
    }

    /// Closes the child's standard input (both servers exit on EOF); kills it if it lingers.
    func stop() {
        guard process.isRunning else { return }
        if let input = process.inputDescriptor { close(input) }
        for _ in 0..<200 where process.isRunning {
            usleep(10_000)
        }
        process.signal(SIGKILL)
        _ = process.waitForExit()
    }

    /// The yardstick: a minimal asyncio JSON-RPC server with the bus framing (4-byte big-endian
    /// length, then JSON), answering `echo` with its params.
    static let pythonServer = #"""
        import asyncio, json, os, struct, sys, threading

        # Exit when the bench closes our standard input, so we never outlive it.
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()

        async def handle(reader, writer):
            try:
                while True:
                    (length,) = struct.unpack(">I", await reader.readexactly(4))
                    request = json.loads(await reader.readexactly(length))
                    if "id" not in request:
                        continue
                    if request.get("method") == "echo":
                        response = {"jsonrpc": "2.0", "result": request.get("params"), "id": request["id"]}
                    else:
                        response = {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": request["id"]}
                    body = json.dumps(response, separators=(",", ":")).encode()
                    writer.write(struct.pack(">I", len(body)) + body)
            except (asyncio.IncompleteReadError, ConnectionResetError):
                pass
            finally:
                writer.close()

        async def main():
            server = await asyncio.start_unix_server(handle, path=sys.argv[1])
            async with server:
                await server.serve_forever()

        asyncio.run(main())
        """#
}
