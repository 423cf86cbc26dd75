import Foundation
import Testing

/// The daemons as an unprivileged user with no capabilities, as in a container: every socket
/// option they set must be allowed there. (bootd's TCP_NODELAY was once set as SOL_SOCKET option
/// 1, SO_DEBUG, which needs CAP_NET_ADMIN: every connection was reset in a container.)
@Suite struct UnprivilegedDaemonTests {
    /// `setpriv` as user nobody, no groups, no capabilities at all.
    static let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--"]

    static func start(_ product: String, state: TemporaryDirectory, _ arguments: [String]) async throws -> ChildProcess {
        let child = try ChildProcess(
            URL(fileURLWithPath: try Peer.path("setpriv")),
            Self.nobody + [BuiltProducts.url(product).path, "--local", "--state", state.path, "--log-level", "debug"] + arguments)
        try await child.waitForOutput("msg=\"http listening\"")
        return child
    }

    @Test(arguments: ["bootd", "metadatad"]) func httpDaemonsServeWithoutCapabilities(_ product: String) async throws {
        let state = try TemporaryDirectory()
        chmod(state.path, 0o777)
        let extra = product == "bootd" ? ["--ipxe-dir", state.path + "/no-ipxe"] : []
        let daemon = try await Self.start(product, state: state, ["--http-port", "0"] + extra)
        defer { if daemon.isRunning { daemon.signal(SIGKILL) } }
        let port = try TFTPDaemon.field("port", after: "msg=\"http listening\"", in: daemon.stdout)
        for _ in 0..<3 {
            let health = try await HTTPGet.fetch("http://127.0.0.1:\(port)/healthz")
            #expect(health.status == 200, "\(health.body)")
        }
        if product == "bootd" {
            let ipxe = try await HTTPGet.fetch("http://127.0.0.1:\(port)/ipxe?uuid=11111111-2222-3333-4444-555555555555&mac=52:54:00:12:34:56&arch=amd64")
            #expect(ipxe.status == 200 && ipxe.body.hasPrefix("#!ipxe"), "\(ipxe.body)")
        }
        #expect(!daemon.stdout.contains("Permission denied"), "\(daemon.stdout.suffix(2000))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.wait(timeout: .seconds(30)).status == 0)
    }

    @Test func tftpdServesWithoutCapabilities() async throws {
        let work = try TemporaryDirectory()
        chmod(work.path, 0o755)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let daemon = try await TFTPDaemon(files: ["boot.bin": bytes], runAs: [try Peer.path("setpriv")] + Self.nobody, unprivileged: true)
        let output = work.path + "/out"
        let curl = try await ChildProcess.run(
            URL(fileURLWithPath: try Peer.path("curl")), ["-s", "-o", output, "tftp://127.0.0.1:\(daemon.port)/boot.bin"], timeout: .seconds(60))
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(bytes))
        #expect(try await daemon.stop().status == 0)
    }
}
