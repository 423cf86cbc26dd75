import AnvilSpawn
import AnvilBus
import Foundation
import Testing

/// A daemon whose standard output goes away (its supervisor killed, a `| head` reader done) keeps
/// serving and stops cleanly: its log lines are dropped, never a crash (Foundation's
/// `FileHandle.write` trapped on EPIPE; Shared/Daemon/StandardStream.swift).
@Suite struct DaemonOutputGoneTests {
    @Test(arguments: DaemonLaunch.daemons)
    func aClosedStdoutIsNotACrash(_ service: String) async throws {
        let state = try TemporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("ANVIL_") { environment[key] = nil }
        environment["ANVIL_DEFAULT_ENVIRONMENT_URL"] = "http://127.0.0.1:9/talos"
        let process = try SpawnedProcess(
            executable: BuiltProducts.url(service).path,
            arguments: DaemonLaunch.arguments(service, state: state.path) + ["--log-level", "debug"],
            environment: environment, output: .pipe, error: .discard)
        // Nobody reads its output from now on: every line it logs meets a closed pipe (EPIPE).
        if let output = process.outputDescriptor { close(output) }
        defer { process.signal(SIGKILL) }

        let client = BusClient(socketPath: "\(state.path)/run/\(service).sock", defaultTimeout: .seconds(2))
        var port: Int64?
        for _ in 0..<600 where port == nil && process.isRunning {
            port = try? await client.call("service.info")["httpPort"]?.intValue
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        await client.close()
        let served = try #require(port, "\(service) exited (\(String(describing: process.exitIfEnded))) or never served")
        for _ in 0..<3 {
            #expect(try await HTTPGet.fetch("http://127.0.0.1:\(served)/healthz").status == 200)
        }
        #expect(process.isRunning)
        process.signal(SIGTERM)
        for _ in 0..<300 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.exitIfEnded == .exited(0), "\(service) ended with \(String(describing: process.exitIfEnded))")
    }
}
