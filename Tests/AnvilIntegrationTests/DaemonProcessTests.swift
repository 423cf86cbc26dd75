import AnvilBus
import AnvilJSON
import Foundation
import Testing

/// Each daemon executable, started for real: bus answers, HTTP health and metrics, graceful SIGTERM.
@Suite struct DaemonProcessTests {
    static let daemons = ["tftpd", "bootd", "metadatad", "bmcd", "reconciler"]

    @Test(arguments: daemons)
    func daemonAnswersAndStopsGracefully(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let child = try ChildProcess(
            BuiltProducts.url(service), ["--local", "--state", state.path, "--http-port", "0"] + (service == "tftpd" ? ["--tftp-port", "0"] : []))
        let socket = "\(state.path)/run/\(service).sock"
        let client = BusClient(socketPath: socket, defaultTimeout: .seconds(2))
        let info = try await waitForInfo(client, child: child)

        #expect(info["service"]?.stringValue == service)
        #expect(info["pid"]?.intValue == Int64(child.pid))
        #expect(info["version"]?.stringValue?.isEmpty == false)
        #expect((info["uptimeSeconds"]?.doubleValue ?? -1) >= 0)
        #expect(info["status"]?.stringValue?.isEmpty == false)
        let health = try await client.call("health.check")
        #expect(health["status"]?.stringValue == "ok")

        let port = try #require(info["httpPort"]?.intValue)
        let healthz = try await HTTPGet.fetch("http://127.0.0.1:\(port)/healthz")
        #expect(healthz.status == 200)
        #expect(healthz.body.contains("\"ok\""))
        let metrics = try await HTTPGet.fetch("http://127.0.0.1:\(port)/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("anvil_bus_requests_total{service=\"\(service)\"}"))
        #expect(metrics.body.contains("anvil_daemon_start_time_seconds"))
        await client.close()

        child.signal(SIGTERM)
        let result = try await child.wait(timeout: .seconds(15))
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: socket), "the bus socket is removed on shutdown")
        #expect(result.stdout.contains("service=\(service)"))
        #expect(result.stdout.contains("msg=stopped"))
    }

    @Test func jsonLogFormat() async throws {
        let state = try TemporaryDirectory()
        let child = try ChildProcess(
            BuiltProducts.url("bmcd"), ["--local", "--state", state.path, "--http-port", "0", "--log-format", "json"])
        let client = BusClient(socketPath: "\(state.path)/run/bmcd.sock", defaultTimeout: .seconds(2))
        _ = try await waitForInfo(client, child: child)
        await client.close()
        child.signal(SIGINT)
        let result = try await child.wait(timeout: .seconds(15))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["service"] as? String == "bmcd")
        }
    }

    @Test func badSettingIsOneClearLine() async throws {
        let state = try TemporaryDirectory()
        let result = try await ChildProcess.run(
            BuiltProducts.url("bootd"), ["--local", "--state", state.path], environment: ["SIDERO_CONTROLLER_MANAGER_BOOT_FROM_DISK_METHOD": "explode"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("SIDERO_CONTROLLER_MANAGER_BOOT_FROM_DISK_METHOD: \"explode\" is not one of ipxe-exit, http-404, ipxe-sanboot"))
        #expect(result.stderr.split(separator: "\n").count == 1)

        let noEndpoint = try await ChildProcess.run(BuiltProducts.url("bootd"), ["--state", state.path])
        #expect(noEndpoint.status != 0)
        #expect(noEndpoint.stderr.hasPrefix("bootd: the API endpoint is required"))
    }

    /// Each daemon lists exactly the settings it uses: the common ones, the shared groups it
    /// composes, and its own (docs/architecture.md "Settings").
    @Test(arguments: [
        ("tftpd", ["--tftp-root", "--ipxe-dir", "--tftp-port", "--max-blksize"], ["--api-endpoint", "--machine-tokens", "--ipmi-pxe-method"]),
        ("bootd", ["--tftp-root", "--api-endpoint", "--metadata-port", "--machine-tokens", "--mark-pxebooted"], ["--tftp-port", "--auto-accept-servers", "--ipmi-pxe-method"]),
        ("metadatad", ["--machine-tokens", "--auto-accept-servers", "--server-reboot-timeout"], ["--tftp-root", "--api-endpoint", "--ipmi-pxe-method"]),
        ("bmcd", ["--ipmi-pxe-method", "--ipmi-timeout", "--max-bmc-commands"], ["--tftp-root", "--api-endpoint", "--machine-tokens"]),
        ("reconciler", ["--change-feed-retention", "--default-environment-url", "--resync-interval"], ["--tftp-root", "--api-endpoint", "--tftp-port"]),
    ])
    func helpListsOnlyTheDaemonsSettings(_ service: String, _ present: [String], _ absent: [String]) async throws {
        let help = try await ChildProcess.run(BuiltProducts.url(service), ["--help"])
        #expect(help.status == 0)
        for flag in ["--state", "--run-dir", "--instance", "--local", "--http-address", "--http-port", "--log-format", "--log-level"] + present {
            #expect(help.stdout.contains(flag + " "), "\(service) --help lacks \(flag)")
        }
        for flag in absent {
            #expect(!help.stdout.contains(flag), "\(service) --help shows \(flag), a setting it does not use")
        }
        let unused = try await ChildProcess.run(BuiltProducts.url(service), [absent[0], "x"])
        #expect(unused.status != 0)
        #expect(unused.stderr.contains("Unknown option '\(absent[0])'"))
    }

    /// A bad value exits 2 with one line naming the daemon and the setting, in every daemon alike.
    @Test(arguments: DaemonProcessTests.daemons)
    func badValueExitsTwoNamingIt(_ service: String) async throws {
        let state = try TemporaryDirectory()
        let result = try await ChildProcess.run(BuiltProducts.url(service), ["--local", "--state", state.path, "--log-level", "loud"])
        #expect(result.status == 2)
        #expect(result.stderr == "\(service): --log-level: \"loud\" is not one of trace, debug, info, notice, warning, error, critical\n")
        let own = try await ChildProcess.run(
            BuiltProducts.url(service), ["--local", "--state", state.path], environment: ["ANVIL_HTTP_PORT": "99999"])
        #expect(own.status == 2)
        #expect(own.stderr == "\(service): ANVIL_HTTP_PORT: \"99999\" is not a port number 0-65535\n")
    }

    @Test func instancesGetTheirOwnSocket() async throws {
        let state = try TemporaryDirectory()
        let first = try ChildProcess(BuiltProducts.url("bootd"), ["--local", "--state", state.path, "--http-port", "0", "--instance", "a"])
        let second = try ChildProcess(BuiltProducts.url("bootd"), ["--local", "--state", state.path, "--http-port", "0", "--instance", "b"])
        for (child, name) in [(first, "a"), (second, "b")] {
            let client = BusClient(socketPath: "\(state.path)/run/bootd-\(name).sock", defaultTimeout: .seconds(2))
            let info = try await waitForInfo(client, child: child)
            #expect(info["instance"]?.stringValue == name)
            await client.close()
        }
        let directory = ServiceDirectory(runDirectory: "\(state.path)/run")
        #expect(directory.instances(of: "bootd").count == 2)
        first.signal(SIGTERM)
        second.signal(SIGTERM)
        #expect(try await first.wait().status == 0)
        #expect(try await second.wait().status == 0)
    }

    private func waitForInfo(_ client: BusClient, child: ChildProcess) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let info = try? await client.call("service.info"), info["httpPort"] != nil { return info }
            guard child.isRunning else {
                throw TestFailure("daemon exited early: \(child.stdout) \(child.stderr)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("daemon did not answer service.info: \(child.stdout) \(child.stderr)")
    }

    @Test func reconcilerKeepsTheChangeFeedBounded() async throws {
        let state = try TemporaryDirectory()
        let anvil = AnvilCLI(state: state)
        var manifest = ""
        for index in 0..<12 {
            manifest += "---\napiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: env-\(index)\nspec: {}\n"
        }
        _ = try await anvil.ok("apply", "-f", "-", stdin: manifest)
        let reconciler = try ChildProcess(
            BuiltProducts.url("reconciler"),
            ["--local", "--state", state.path, "--http-port", "0", "--change-feed-retention", "5"])
        try await reconciler.waitForOutput("msg=\"change feed compacted\" kept=5 removed=7", timeout: .seconds(60))
        reconciler.signal(SIGTERM)
        #expect(try await reconciler.wait().status == 0)
    }
}
