import Foundation

/// A Python HTTP server on 127.0.0.1 (python3 is everywhere): `http.server` over a directory,
/// or a script of the test's own that takes the port as its argument.
final class LoopbackHTTPServer: Sendable {
    let child: ChildProcess
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Serves the files under `directory`; anything else is a 404.
    convenience init(directory: String) async throws {
        try await self.init(arguments: { port in ["-u", "-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", directory] })
    }

    /// Runs `script`, which must listen on 127.0.0.1 at `sys.argv[1]` and then print "Serving HTTP".
    convenience init(script: String) async throws {
        try await self.init(arguments: { port in ["-u", "-c", script, "\(port)"] })
    }

    private init(arguments: (Int) -> [String]) async throws {
        port = try HTTPDaemon.freeTCPPort()
        child = try ChildProcess(URL(fileURLWithPath: try Peer.path("python3")), arguments(port))
        try await child.waitForOutput("Serving HTTP", timeout: .seconds(20))
    }

    deinit {
        if child.isRunning { child.signal(SIGKILL) }
    }
}
