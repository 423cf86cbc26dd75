import AnvilResources
import AnvilStore
import Foundation
import Testing

/// The reconciler's Environment asset controller as a process: file:// and http:// assets fetched
/// into `<state>/env/<name>/`, sha512 verified, Ready conditions bootd trusts, re-fetch on change,
/// the `default` Environment, failures with reasons and backoff, progress, the lease.
@Suite struct EnvironmentAssetsTests {
    static let kernelBytes = TFTPDaemon.content(size: 300_000, seed: 1)
    static let initrdBytes = TFTPDaemon.content(size: 200_000, seed: 2)
    static let otherKernelBytes = TFTPDaemon.content(size: 123_457, seed: 3)

    /// A directory of source assets: `vmlinuz-amd64` and `initramfs-amd64.xz` (what the default
    /// Environment asks for), plus `other-kernel`.
    final class Sources: Sendable {
        let directory: TemporaryDirectory

        init() throws {
            directory = try TemporaryDirectory()
            try Data(EnvironmentAssetsTests.kernelBytes).write(to: url("vmlinuz-amd64"))
            try Data(EnvironmentAssetsTests.initrdBytes).write(to: url("initramfs-amd64.xz"))
            try Data(EnvironmentAssetsTests.otherKernelBytes).write(to: url("other-kernel"))
        }

        func url(_ name: String) -> URL { directory.url.appendingPathComponent(name) }
        func fileURL(_ name: String) -> String { "file://" + directory.path + "/" + name }
        var baseFileURL: String { "file://" + directory.path }
    }

    /// sha512 by coreutils, independent of the code under test.
    static func sha512(_ bytes: [UInt8]) async throws -> String {
        let scratch = try TemporaryDirectory()
        let path = scratch.url.appendingPathComponent("blob")
        try Data(bytes).write(to: path)
        let result = try await ChildProcess.run(URL(fileURLWithPath: try Peer.path("sha512sum")), [path.path])
        return String(result.stdout.prefix(128))
    }

    static func environment(_ name: String, kernel: String, kernelSHA: String? = nil, initrd: String? = nil, initrdSHA: String? = nil) -> Resource {
        let spec = EnvironmentSpec(
            kernel: Kernel(url: kernel, sha512: kernelSHA, args: ["console=ttyS0"]),
            initrd: initrd.map { Initrd(url: $0, sha512: initrdSHA) })
        return Environment(metadata: ObjectMeta(name: name), spec: spec).resource
    }

    static func fileBytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    @Test func fileAssetsAreFetchedVerifiedAndServedByBootd() async throws {
        let sources = try Sources()
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL)
        let kernelSHA = try await Self.sha512(Self.kernelBytes)
        let initrdSHA = try await Self.sha512(Self.initrdBytes)
        let kernelURL = sources.fileURL("vmlinuz-amd64")
        let initrdURL = sources.fileURL("initramfs-amd64.xz")
        // Upper-case hex in the spec is the same digest.
        _ = try await reconciler.store.seed(
            Self.environment("e1", kernel: kernelURL, kernelSHA: kernelSHA.uppercased(), initrd: initrdURL))

        let ready = try await reconciler.waitForEnvironment("e1", "ready") { $0.status.conditions?.count == 2 && $0.status.conditions!.allSatisfy { $0.status == "True" } }
        // The kernel's condition carries the digest verified; the initrd's (no sha512 in the spec) the digest computed.
        #expect(ready.status.conditions?.map(\.essentials) == [
            AssetCondition(url: kernelURL, sha512: kernelSHA, type: "Ready", status: "True"),
            AssetCondition(url: initrdURL, sha512: initrdSHA, type: "Ready", status: "True"),
        ])
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/e1/vmlinuz") == Self.kernelBytes)
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/e1/initramfs.xz") == Self.initrdBytes)
        #expect(reconciler.files(of: "e1") == ["initramfs.xz", "vmlinuz"], "no temporary files left")
        _ = try await reconciler.waitForEvent("e1") { $0.reason == "AssetReady" && $0.message == "vmlinuz ready: 293.0 KiB, sha512 verified" }
        _ = try await reconciler.waitForEvent("e1") {
            $0.reason == "AssetReady" && $0.message.hasPrefix("initramfs.xz ready: 195.3 KiB, sha512 \(initrdSHA.prefix(16))")
        }

        // bootd on the same state serves exactly these bytes.
        let boot = try await Self.startBootd(state: reconciler.state)
        let served = try await HTTPGet.exchange("http://127.0.0.1:\(boot.port)/env/e1/vmlinuz")
        #expect(served.status == 200)
        #expect([UInt8](served.body) == Self.kernelBytes)

        // Nothing changes on a resync or restart: the files are verified, not fetched again.
        let fetches = reconciler.logLines(containing: ["msg=\"fetching environment asset\"", "environment=e1"]).count
        #expect(fetches == 2)
        #expect(try await reconciler.stop().status == 0)
        let again = try await ReconcilerDaemon(state: reconciler.state, defaultEnvironmentURL: sources.baseFileURL)
        _ = try await again.waitForLogLine(containing: ["msg=\"reconciler lease acquired\""])
        try await Task.sleep(for: .seconds(2))
        #expect(again.logLines(containing: ["msg=\"fetching environment asset\"", "environment=e1"]).isEmpty)
        #expect(try await again.environment("e1")?.status == ready.status)
        boot.child.signal(SIGTERM)
        _ = try await boot.child.wait()
        #expect(try await again.stop().status == 0)
    }

    @Test func wrongChecksumIsNotReadyLeavesNothingAndAFixedSpecIsTriedAtOnce() async throws {
        let sources = try Sources()
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL)
        let kernelSHA = try await Self.sha512(Self.kernelBytes)
        let wrong = String(repeating: "ab", count: 64)
        let kernelURL = sources.fileURL("vmlinuz-amd64")
        _ = try await reconciler.store.seed(Self.environment("bad", kernel: kernelURL, kernelSHA: wrong))

        // The log line can come before the status write lands: wait for the condition itself.
        let failed = try await reconciler.waitForEnvironment("bad", "marked not ready") { environment in
            environment.status.conditions?.first?.status == "False"
                && !reconciler.logLines(containing: ["msg=\"environment asset not ready\"", "environment=bad"]).isEmpty
        }
        #expect(failed.status.conditions?.map(\.essentials) == [AssetCondition(url: kernelURL, sha512: wrong, type: "Ready", status: "False")])
        #expect(failed.status.conditions?.first?.reason == "FetchFailed")
        #expect(failed.status.conditions?.first?.lastTransitionTime != nil)
        #expect(reconciler.files(of: "bad").isEmpty, "neither the file nor a temporary file is left")
        let mismatch = try await reconciler.waitForEvent("bad") { $0.reason == "ChecksumMismatch" }
        #expect(mismatch.type == .warning)
        #expect(mismatch.message == "vmlinuz not ready: sha512 mismatch for \(kernelURL): the spec says \(wrong), the download has \(kernelSHA)")
        let line = try await reconciler.waitForLogLine(containing: ["msg=\"environment asset not ready\"", "environment=bad"])
        #expect(line.contains("reason=ChecksumMismatch"))
        #expect(line.contains("retryIn=5s"))

        // bootd refuses it.
        let boot = try await Self.startBootd(state: reconciler.state)
        #expect(try await HTTPGet.fetch("http://127.0.0.1:\(boot.port)/env/bad/vmlinuz").status == 404)

        // The operator fixes the hash: fetched right away, not after the backoff.
        let fixedAt = ContinuousClock.now
        try await setKernelSHA(reconciler, "bad", kernelSHA)
        try await reconciler.waitForEnvironment("bad", timeout: .seconds(10), "ready") {
            ReconcilerDaemon.isReady($0, url: kernelURL, sha512: kernelSHA)
        }
        // Loose on a loaded CI machine (6 s seen); the backoff after several failures is longer.
        #expect(ContinuousClock.now - fixedAt < .seconds(10))
        #expect(try await HTTPGet.fetch("http://127.0.0.1:\(boot.port)/env/bad/vmlinuz").status == 200)
        #expect(reconciler.files(of: "bad") == ["vmlinuz"])
        boot.child.signal(SIGTERM)
        _ = try await boot.child.wait()
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func urlChangeRefetchesAndDeletionRemovesTheDirectory() async throws {
        let sources = try Sources()
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL)
        let first = sources.fileURL("vmlinuz-amd64")
        let second = sources.fileURL("other-kernel")
        _ = try await reconciler.store.seed(Self.environment("moving", kernel: first))
        let firstSHA = try await Self.sha512(Self.kernelBytes)
        try await reconciler.waitForEnvironment("moving", "ready") { ReconcilerDaemon.isReady($0, url: first, sha512: firstSHA) }

        _ = try await reconciler.store.mutate(kind: "Environment", name: "moving") { resource in
            var environment = try Environment(resource)
            environment.spec.kernel?.url = second
            resource = environment.resource
        }
        let secondSHA = try await Self.sha512(Self.otherKernelBytes)
        let moved = try await reconciler.waitForEnvironment("moving", "ready again") {
            ReconcilerDaemon.isReady($0, url: second, sha512: secondSHA)
        }
        #expect(moved.status.conditions?.count == 1, "the old URL's condition is gone")
        // The shorter file replaced the longer one whole (Sidero left the old tail behind).
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/moving/vmlinuz") == Self.otherKernelBytes)
        #expect(reconciler.files(of: "moving") == ["vmlinuz"])

        // Adding the sha512 of what is already there changes nothing: the condition carries the digest.
        try await setKernelSHA(reconciler, "moving", secondSHA.uppercased())
        try await Task.sleep(for: .seconds(1.5))
        #expect(ReconcilerDaemon.isReady(try #require(try await reconciler.environment("moving")), url: second, sha512: secondSHA))
        #expect(reconciler.logLines(containing: ["msg=\"fetching environment asset\"", "environment=moving"]).count == 2)
        // A different sha512 is fetched again (and here refused); the file it no longer vouches for goes.
        let other = String(repeating: "0", count: 128)
        try await setKernelSHA(reconciler, "moving", other)
        try await reconciler.waitForEnvironment("moving", "refused") {
            $0.status.conditions?.map(\.essentials) == [AssetCondition(url: second, sha512: other, type: "Ready", status: "False")]
        }
        _ = try await reconciler.waitForLogLine(containing: ["msg=\"environment asset not ready\"", "environment=moving", "reason=ChecksumMismatch"])
        #expect(reconciler.logLines(containing: ["msg=\"fetching environment asset\"", "environment=moving"]).count == 3)
        #expect(reconciler.files(of: "moving").isEmpty)

        _ = try await reconciler.store.delete(kind: "Environment", name: "moving")
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: reconciler.environmentDirectory + "/moving"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: reconciler.environmentDirectory + "/moving"))
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func defaultIsCreatedWithSideroSpecAndBecomesReady() async throws {
        let sources = try Sources()
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL + "/")
        let kernelSHA = try await Self.sha512(Self.kernelBytes)
        let initrdSHA = try await Self.sha512(Self.initrdBytes)
        let ready = try await reconciler.waitForEnvironment("default", "created and ready") {
            ReconcilerDaemon.isReady($0, url: sources.fileURL("vmlinuz-amd64"), sha512: kernelSHA)
                && ReconcilerDaemon.isReady($0, url: sources.fileURL("initramfs-amd64.xz"), sha512: initrdSHA)
        }
        #expect(ready.spec.kernel?.args == [
            "console=tty0", "console=ttyS0", "consoleblank=0", "earlyprintk=ttyS0", "ima_appraise=fix", "ima_hash=sha512",
            "ima_template=ima-ng", "init_on_alloc=1", "initrd=initramfs.xz", "nvme_core.io_timeout=4294967295",
            "printk.devkmsg=on", "pti=on", "random.trust_cpu=on", "slab_nomerge=", "talos.platform=metal",
        ])
        #expect(ready.spec.kernel?.sha512 == nil)
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/default/initramfs.xz") == Self.initrdBytes)
        let created = try await reconciler.waitForEvent("default") { $0.reason == "Created" }
        #expect(try await reconciler.store.events(kind: "Environment", name: "default").first == created)

        // Deleted, it comes back (Sidero's TestEnvironmentDefault).
        _ = try await reconciler.store.delete(kind: "Environment", name: "default")
        try await reconciler.waitForEnvironment("default", "re-created and ready") {
            ReconcilerDaemon.isReady($0, url: sources.fileURL("vmlinuz-amd64"), sha512: kernelSHA)
        }
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func operatorsDefaultIsNeverOverwritten() async throws {
        let sources = try Sources()
        let kernelURL = sources.fileURL("other-kernel")
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL) { store in
            _ = try await store.seed(Self.environment("default", kernel: kernelURL))
        }
        let sha = try await Self.sha512(Self.otherKernelBytes)
        let ready = try await reconciler.waitForEnvironment("default", "ready") { ReconcilerDaemon.isReady($0, url: kernelURL, sha512: sha) }
        #expect(ready.spec.kernel?.args == ["console=ttyS0"])
        #expect(ready.spec.initrd == nil)
        #expect(try await reconciler.store.events(kind: "Environment", name: "default").contains { $0.reason == "Created" } == false)
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/default/vmlinuz") == Self.otherKernelBytes)
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func httpAssetsAndA404() async throws {
        let sources = try Sources()
        let server = try await LoopbackHTTPServer(directory: sources.directory.path)
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: server.baseURL)
        let kernelSHA = try await Self.sha512(Self.kernelBytes)
        let initrdSHA = try await Self.sha512(Self.initrdBytes)
        let kernelURL = server.baseURL + "/vmlinuz-amd64"
        let initrdURL = server.baseURL + "/initramfs-amd64.xz"
        _ = try await reconciler.store.seed(Self.environment("web", kernel: kernelURL, kernelSHA: kernelSHA, initrd: initrdURL, initrdSHA: initrdSHA))
        try await reconciler.waitForEnvironment("web", "ready") {
            ReconcilerDaemon.isReady($0, url: kernelURL, sha512: kernelSHA) && ReconcilerDaemon.isReady($0, url: initrdURL, sha512: initrdSHA)
        }
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/web/vmlinuz") == Self.kernelBytes)
        #expect(Self.fileBytes(reconciler.environmentDirectory + "/web/initramfs.xz") == Self.initrdBytes)
        // The default Environment came from the same server.
        try await reconciler.waitForEnvironment("default", "ready") { ReconcilerDaemon.isReady($0, url: kernelURL, sha512: kernelSHA) }

        let missing = server.baseURL + "/no-such-kernel"
        _ = try await reconciler.store.seed(Self.environment("gone", kernel: missing, initrd: initrdURL))
        let failed = try await reconciler.waitForEnvironment("gone", "failed") { environment in
            ReconcilerDaemon.condition(environment, url: missing)?.status == "False"
                && ReconcilerDaemon.isReady(environment, url: initrdURL, sha512: initrdSHA)
        }
        #expect(failed.status.conditions?.count == 2)
        let line = try await reconciler.waitForLogLine(containing: ["msg=\"environment asset not ready\"", "environment=gone"])
        #expect(line.contains("asset=vmlinuz"))
        let event = try await reconciler.waitForEvent("gone") { $0.reason == "DownloadFailed" }
        #expect(event.message == "vmlinuz not ready: \(missing) answered HTTP 404 Not Found")
        #expect(reconciler.files(of: "gone") == ["initramfs.xz"])
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func unreachableDefaultFailsClearlyAndBacksOff() async throws {
        let closed = try HTTPDaemon.freeTCPPort()
        let base = "http://127.0.0.1:\(closed)/talos"
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: base)
        let failed = try await reconciler.waitForEnvironment("default", "marked not ready") { environment in
            environment.status.conditions?.count == 2 && environment.status.conditions!.allSatisfy { $0.status == "False" }
        }
        #expect(failed.status.conditions?.first?.essentials == AssetCondition(url: base + "/vmlinuz-amd64", type: "Ready", status: "False"))
        #expect(failed.status.conditions?.first?.reason == "FetchFailed")
        #expect(failed.status.conditions?.first?.message?.contains("127.0.0.1") == true)
        let event = try await reconciler.waitForEvent("default") { $0.reason == "DownloadFailed" }
        #expect(event.message.hasPrefix("vmlinuz not ready: cannot fetch \(base)/vmlinuz-amd64: "), "\(event.message)")
        #expect(event.message.contains("127.0.0.1"), "\(event.message)")
        _ = try await reconciler.waitForLogLine(containing: ["msg=\"environment asset not ready\"", "asset=vmlinuz", "retryIn=5s"])
        _ = try await reconciler.waitForLogLine(containing: ["msg=\"environment asset not ready\"", "asset=vmlinuz", "retryIn=10s"], timeout: .seconds(15))
        // Attempts 5 s then 10 s apart, not a hot loop (a slow machine may already show the
        // third, 20 s later); and the daemon is still up.
        let attempts = reconciler.logLines(containing: ["msg=\"environment asset not ready\"", "asset=vmlinuz"])
        #expect((2...3).contains(attempts.count), "\(attempts)")
        #expect(attempts.count < 3 || attempts[2].contains("retryIn=20s"), "\(attempts)")
        #expect(reconciler.child.isRunning)
        #expect(reconciler.files(of: "default").isEmpty)
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func slowDownloadsShowProgressInTheLogAndInDescribe() async throws {
        // 2 MiB in 64 KiB pieces, one every 100 ms: about 3 s.
        let script = """
            import sys, time
            from http.server import BaseHTTPRequestHandler, HTTPServer
            SIZE, PIECE = 2 * 1024 * 1024, 64 * 1024
            class Slow(BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Length", str(SIZE))
                    self.end_headers()
                    for _ in range(SIZE // PIECE):
                        self.wfile.write(bytes(PIECE))
                        self.wfile.flush()
                        time.sleep(0.1)
                def log_message(self, *args):
                    pass
            server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Slow)
            print("Serving HTTP", flush=True)
            server.serve_forever()
            """
        let server = try await LoopbackHTTPServer(script: script)
        let sources = try Sources()
        let reconciler = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL)
        let url = server.baseURL + "/big"
        _ = try await reconciler.store.seed(Self.environment("slow", kernel: url))
        let sha = try await Self.sha512([UInt8](repeating: 0, count: 2 * 1024 * 1024))
        try await reconciler.waitForEnvironment("slow", timeout: .seconds(30), "ready") { ReconcilerDaemon.isReady($0, url: url, sha512: sha) }

        let progress = reconciler.logLines(containing: ["msg=\"fetching environment asset: ", "environment=slow", "total=2097152"])
        #expect(progress.count >= 2, "\(reconciler.child.stdout)")
        #expect(progress.allSatisfy { $0.contains("% (") && $0.contains(" of 2.0 MiB)") })
        _ = try await reconciler.waitForEvent("slow") { $0.reason == "AssetReady" }
        let describe = try await AnvilCLI(state: reconciler.state).ok("describe", "env", "slow")
        #expect(describe.contains("Downloading"))
        #expect(describe.contains("vmlinuz: "), "\(describe)")
        #expect(describe.contains(" of 2.0 MiB)"), "\(describe)")
        #expect(describe.contains("AssetReady"))
        #expect(try await reconciler.stop().status == 0)
    }

    @Test func aSecondReconcilerStandsByUntilTheFirstStops() async throws {
        let sources = try Sources()
        let first = try await ReconcilerDaemon(defaultEnvironmentURL: sources.baseFileURL)
        _ = try await first.waitForLogLine(containing: ["msg=\"reconciler lease acquired\""])
        let second = try await ReconcilerDaemon(
            state: first.state, defaultEnvironmentURL: sources.baseFileURL, extraArguments: ["--instance", "b"])
        _ = try await second.waitForLogLine(containing: ["msg=\"another reconciler is active; standing by\""])
        #expect(second.logLines(containing: ["msg=\"reconciler lease acquired\""]).isEmpty)
        #expect(try await first.stop().status == 0)
        // The first handed the lease back on the way out: no waiting for it to expire.
        _ = try await second.waitForLogLine(containing: ["msg=\"reconciler lease acquired\""], timeout: .seconds(8))
        #expect(try await second.stop().status == 0)
    }

    func setKernelSHA(_ reconciler: ReconcilerDaemon, _ name: String, _ sha512: String) async throws {
        _ = try await reconciler.store.mutate(kind: "Environment", name: name) { resource in
            var environment = try Environment(resource)
            environment.spec.kernel?.sha512 = sha512
            resource = environment.resource
        }
    }

    /// bootd on the reconciler's state directory (its own port).
    static func startBootd(state: TemporaryDirectory) async throws -> (child: ChildProcess, port: Int) {
        let child = try ChildProcess(
            BuiltProducts.url("bootd"),
            ["--local", "--state", state.path, "--http-port", "0", "--ipxe-dir", state.path + "/no-ipxe"])
        try await child.waitForOutput("msg=\"http listening\"")
        return (child, try TFTPDaemon.field("port", after: "msg=\"http listening\"", in: child.stdout))
    }
}
