import Foundation
import Testing

/// SIGTERM stops every daemon quickly (rolling restarts), and a response in flight when it
/// arrives is still sent whole.
@Suite struct ShutdownTimingTests {
    @Test(arguments: DaemonLaunch.daemons)
    func sigtermExitsQuickly(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let child = try ChildProcess(BuiltProducts.url(service), DaemonLaunch.arguments(service, state: state.path))
        _ = try await DaemonLaunch.waitUntilServing(service, state: state.path, child: child)
        // Let start-up work (first reconcile, event flush) settle, as on a running system.
        try await Task.sleep(for: .milliseconds(500))
        child.signal(SIGTERM)
        let elapsed = try await DaemonLaunch.timeToExit(child)
        let result = try await child.wait(timeout: .seconds(10))
        let stopping = try #require(Self.timestamp(of: "msg=stopping", in: result.stdout), "no stopping line: \(result.stdout.suffix(500))")
        let stopped = try #require(Self.timestamp(of: "msg=stopped", in: result.stdout), "no stopped line: \(result.stdout.suffix(500))")
        let ownStop = stopped - stopping
        print("\(service): stopping to stopped in the daemon's log \(ownStop) s; SIGTERM to exit seen from here \(elapsed)")
        #expect(result.status == 0, "\(result.stderr)")
        // The daemon's own stop, from its log: unaffected by how busy this test process is. Idle
        // it is a few milliseconds; generous for a loaded 2-core CI.
        #expect(ownStop < 2, "\(result.stdout.suffix(600))")
        // From outside: well inside the 10 s a container runtime waits before SIGKILL.
        #expect(elapsed < .seconds(10))
    }

    /// Seconds since midnight of the first log line containing `message` (`ts=…T12:34:56.789Z`).
    static func timestamp(of message: String, in log: String) -> Double? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains(message) }),
              let start = line.range(of: "ts=")?.upperBound,
              let time = line[start...].split(separator: " ").first?.split(separator: "T").last?.dropLast() else { return nil }
        let parts = time.split(separator: ":").compactMap { Double($0) }
        guard parts.count == 3 else { return nil }
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    }

    @Test func bootdFinishesADownloadInFlight() async throws {
        let state = try TemporaryDirectory()
        let root = state.url.appendingPathComponent("tftp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let size = 24 << 20
        // A 64 KiB pattern repeated (building 24 MiB byte by byte is slow in a debug build).
        let pattern = Data((0..<65536).map { UInt8(truncatingIfNeeded: ($0 >> 8) &+ $0) })
        var content = Data(capacity: size)
        for _ in 0..<(size / pattern.count) { content.append(pattern) }
        try content.write(to: root.appendingPathComponent("big.bin"))
        let child = try ChildProcess(BuiltProducts.url("bootd"), DaemonLaunch.arguments("bootd", state: state.path))
        let port = try await DaemonLaunch.waitUntilServing("bootd", state: state.path, child: child)

        // About 6 s at this rate: SIGTERM lands once the first bytes have arrived.
        let output = state.url.appendingPathComponent("downloaded.bin")
        let curl = try ChildProcess(
            URL(fileURLWithPath: "/usr/bin/curl"),
            ["-sS", "--fail", "--limit-rate", "4M", "-o", output.path, "http://127.0.0.1:\(port)/tftp/big.bin"])
        try await Self.waitForFirstBytes(output, while: curl)
        #expect(curl.isRunning, "the download is still in flight")
        child.signal(SIGTERM)
        let downloaded = try await curl.wait(timeout: .seconds(30))
        let elapsed = try await DaemonLaunch.timeToExit(child)
        _ = try await child.wait(timeout: .seconds(10))
        print("bootd: download in flight finished (curl exit \(downloaded.status)); bootd gone \(elapsed) after it")
        #expect(downloaded.status == 0, "\(downloaded.stderr)")
        let received = try Data(contentsOf: output)
        #expect(received.count == size)
        #expect(received.elementsEqual(content))
        #expect(elapsed < .seconds(5))
    }

    @Test func tftpdFinishesATransferInFlight() async throws {
        let content = TFTPDaemon.content(size: 1 << 20, seed: 3)
        let state = try TemporaryDirectory()
        let root = state.url.appendingPathComponent("tftp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(content).write(to: root.appendingPathComponent("big.bin"))
        let child = try ChildProcess(BuiltProducts.url("tftpd"), DaemonLaunch.arguments("tftpd", state: state.path))
        _ = try await DaemonLaunch.waitUntilServing("tftpd", state: state.path, child: child)
        let port = try TFTPDaemon.field("port", after: "msg=\"tftp listening\"", in: child.stdout)

        // A client that sets the pace itself: SIGTERM goes out the moment block 1 of 2048 arrives,
        // so the transfer is in flight by construction (curl's rate limit, polled, raced the
        // transfer on a loaded machine). 1 ms per block: about 2 s idle, leaving a loaded CI most of
        // tftpd's 10 s drain.
        let download = Task {
            try await TFTPFaultTests.lockstepDownload("big.bin", port: port, pace: .milliseconds(1), onFirstBlock: { child.signal(SIGTERM) })
        }
        let received = try await download.value
        let elapsed = try await DaemonLaunch.timeToExit(child)
        let result = try await child.wait(timeout: .seconds(15))
        print("tftpd: transfer in flight at SIGTERM finished (\(received.count) bytes); tftpd gone \(elapsed) after it")
        #expect(received == content)
        #expect(result.status == 0)
        #expect(elapsed < .seconds(5))
    }

    /// Polls until `file` has data (the transfer has started) or `process` has exited.
    static func waitForFirstBytes(_ file: URL, while process: ChildProcess) async throws {
        for _ in 0..<600 where process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
            if size > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
