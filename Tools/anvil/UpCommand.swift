import AnvilBus
import AnvilDaemon
import ArgumentParser
import Dispatch
import Foundation

/// `anvil up`: the whole suite as local child processes (no containers), state in ./.anvil,
/// logs in .anvil/logs/<service>.log and on the terminal; Ctrl-C stops everything gracefully.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Run every Anvil daemon locally until Ctrl-C.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("port-offset"), help: "Add this to every default port (TFTP 6969, bootd 8081, metadatad 8082, metrics 9069/9623/9080), to run two suites side by side.")
    var portOffset: Int = 0

    @Option(name: .customLong("listen"), help: "Address tftpd, bootd and metadatad bind: 127.0.0.1 (default, local mode), the provisioning network's address, or 0.0.0.0. bmcd and the reconciler stay on loopback.")
    var listen: String = "127.0.0.1"

    @Option(name: .customLong("api-endpoint"), help: "Address servers reach Anvil on, rendered into iPXE scripts and kernel arguments (default: ANVIL_API_ENDPOINT, else the --listen address; required when listening on 0.0.0.0 or ::).")
    var apiEndpoint: String?

    @Option(name: .customLong("tftp-port"), help: "tftpd's port (default 6969 plus --port-offset; PXE firmware asks port 69, which needs root or CAP_NET_BIND_SERVICE).")
    var tftpPort: Int?

    @Option(name: .customLong("only"), parsing: .upToNextOption, help: "Run only these daemons.")
    var only: [String] = []

    @Option(name: .customLong("bootd-replicas"), help: "Run this many bootd processes sharing its port (SO_REUSEPORT).")
    var bootdReplicas: Int = 1

    @Flag(name: .long, help: "Do not echo daemon logs on the terminal (they still go to logs/).")
    var quiet = false

    @Option(name: .customLong("stop-timeout"), help: "Seconds to wait for a daemon to stop before killing it.")
    var stopTimeout: Int = 10

    func validate() throws {
        guard (1...64).contains(bootdReplicas) else {
            throw ValidationError("--bootd-replicas: \(bootdReplicas) must be 1 to 64")
        }
        if let tftpPort, !(1...65535).contains(tftpPort) {
            throw ValidationError("--tftp-port: \(tftpPort) must be 1 to 65535")
        }
    }

    /// Where servers reach Anvil: the flag, else the daemons' own environment variables, else the
    /// listen address unless it is a wildcard.
    private func endpoint() throws -> String {
        if let apiEndpoint, !apiEndpoint.isEmpty { return apiEndpoint }
        let environment = ProcessInfo.processInfo.environment
        for name in ["ANVIL_API_ENDPOINT", "SIDERO_CONTROLLER_MANAGER_API_ENDPOINT"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        guard !UpNetwork.isWildcard(listen) else {
            throw CLIError("--listen \(listen) needs --api-endpoint: the address servers on the provisioning network reach Anvil on")
        }
        return listen
    }

    /// One entry per process: bootd appears once per replica, each with its own instance name.
    private struct Launch {
        let descriptor: DaemonDescriptor
        let instance: String?
        var busName: String { instance.map { "\(descriptor.name)-\($0)" } ?? descriptor.name }
    }

    private func launches() throws -> [Launch] {
        try selected().flatMap { descriptor -> [Launch] in
            guard descriptor.name == "bootd", bootdReplicas > 1 else { return [Launch(descriptor: descriptor, instance: nil)] }
            return (0..<bootdReplicas).map { Launch(descriptor: descriptor, instance: "r\($0)") }
        }
    }

    func run() async throws {
        try await runCLI {
            let launches = try launches()
            let endpoint = try endpoint()
            let tftpPort = self.tftpPort ?? 6969 + portOffset
            if launches.contains(where: { $0.descriptor.name == "tftpd" }) {
                try UpNetwork.checkUDPPort(tftpPort, address: listen)
            }
            let binaries = try launches.map { try DaemonBinaries.path(of: $0.descriptor.name) }
            if let notice = AgentEnvironmentNotice.message(stateDirectory: global.stateDirectory) { out(notice) }
            let fileManager = FileManager.default
            try fileManager.createDirectory(at: global.logsDirectory, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: global.runDirectory, withIntermediateDirectories: true)
            let signals = SignalWaiter(signals: [SIGINT, SIGTERM])

            var environment = ProcessInfo.processInfo.environment
            environment["ANVIL_SUPERVISED_BY"] = "\(getpid())"
            environment["ANVIL_RUN_DIR"] = global.runDirectory.path
            // The daemons open the store the CLI was told about (checked here first: one clear error).
            _ = try global.storeLocation
            if let store = global.storeText { environment["ANVIL_STORE"] = store }
            environment["ANVIL_SECRETS_KEY"] = global.secretsKeyURL.path
            var daemons: [SupervisedDaemon] = []
            for (launch, binary) in zip(launches, binaries) {
                let daemon = try SupervisedDaemon(
                    service: launch.busName, executable: binary,
                    arguments: arguments(for: launch.descriptor, endpoint: endpoint, tftpPort: tftpPort)
                        + (launch.instance.map { ["--instance", $0] } ?? []),
                    environment: environment,
                    logURL: global.logsDirectory.appendingPathComponent("\(launch.busName).log"), quiet: quiet)
                try daemon.start()
                daemons.append(daemon)
            }
            let ready = await waitUntilHealthy(launches.map(\.busName), timeout: .seconds(60))
            let names = launches.map(\.busName).joined(separator: ", ")
            if ready {
                out("anvil up: \(daemons.count) daemons running (\(names)); state in \(global.stateDirectory.path); Ctrl-C stops them")
            } else {
                out("anvil up: not every daemon answered its health check yet; see \(global.logsDirectory.path)")
            }
            let signal = await signals.next()
            out("anvil up: \(signal == SIGINT ? "interrupt" : "terminate") received; stopping \(daemons.count) daemons")
            await withTaskGroup(of: Void.self) { group in
                for daemon in daemons {
                    group.addTask { await daemon.stop(grace: .seconds(stopTimeout)) }
                }
            }
            out("anvil up: stopped")
        }
    }

    private func selected() throws -> [DaemonDescriptor] {
        guard !only.isEmpty else { return DaemonDescriptor.all }
        return try only.map { name in
            guard let descriptor = DaemonDescriptor.all.first(where: { $0.name == name }) else {
                throw CLIError("--only \(name): no such daemon (known: \(DaemonDescriptor.all.map(\.name).joined(separator: ", ")))")
            }
            return descriptor
        }
    }

    /// The common settings, plus the addresses and ports a daemon renders or binds (each daemon
    /// takes only its own). Local mode keeps every default on loopback; `--listen` moves the three
    /// services servers talk to.
    private func arguments(for descriptor: DaemonDescriptor, endpoint: String, tftpPort: Int) -> [String] {
        var arguments = ["--local", "--state", global.stateDirectory.path, "--http-port", "\(descriptor.defaultHTTPPort + portOffset)"]
        switch descriptor.name {
        case "tftpd": arguments += ["--tftp-address", listen, "--tftp-port", "\(tftpPort)"]
        case "bootd":
            arguments += ["--http-address", listen, "--api-endpoint", endpoint, "--api-port", "\(8081 + portOffset)", "--metadata-port", "\(8082 + portOffset)"]
        case "metadatad": arguments += ["--http-address", listen]
        default: break
        }
        return arguments
    }

    private func waitUntilHealthy(_ services: [String], timeout: Duration) async -> Bool {
        let directory = ServiceDirectory(runDirectory: global.runDirectory.path)
        let deadline = ContinuousClock.now + timeout
        var pending = Set(services)
        while !pending.isEmpty, ContinuousClock.now < deadline {
            for service in pending {
                let client = BusClient(socketPath: directory.socketPath(service: service), defaultTimeout: .seconds(1))
                if (try? await client.call("health.check"))?["status"]?.stringValue == "ok" { pending.remove(service) }
                await client.close()
            }
            if !pending.isEmpty { try? await Task.sleep(for: .milliseconds(200)) }
        }
        return pending.isEmpty
    }
}
