import AnvilResources
import AnvilStore
import Foundation
import SimulatorCore

/// A real `anvil up` for the fleet lifecycle and fault tests (built beside this test bundle, as
/// in FleetAnvilUpTests): its own state directory and port offset, servers discovered by the
/// agent which reports its BMC (`ANVIL_BMC_SETUP_AT=discovery`, as Benchmarks/fleet/run.py), the
/// store opened for the test's assertions, and the `anvil` CLI for accept/apply/scale.
final class LiveAnvil: Sendable {
    let state: URL
    let offset: Int
    let environment: [String: String]
    let up: FleetTestProcess
    let store: Store

    var bootd: String { "http://127.0.0.1:\(8081 + offset)" }

    /// `extra`: daemon settings for this test (a short reboot timeout, power retry delay, …).
    static func start(_ extra: [String: String] = [:]) async throws -> LiveAnvil {
        let state = URL(fileURLWithPath: "/tmp/anvil-live-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        // Offsets below the kernel's ephemeral range (32768+), where the BMCs' ports come from.
        let offset = Int.random(in: 15000...21999)
        let environment = [
            "ANVIL_STATE": state.path, "ANVIL_BMC_SETUP_AT": "discovery", "ANVIL_INSECURE_WIPE": "true",
            "ANVIL_MARK_PXEBOOTED": "on-install-report", "ANVIL_DEFAULT_ENVIRONMENT_URL": "http://127.0.0.1:9/talos",
        ].merging(extra) { $1 }
        let up = try FleetTestProcess(
            FleetTestProcess.builtProduct("anvil"), ["up", "--port-offset", "\(offset)"], environment: environment,
            output: state.appendingPathComponent("up.log"))
        guard await up.waitForOutput("daemons running", timeout: .seconds(120)) else {
            await up.stop()
            throw LiveAnvilError("anvil up did not start within 120 s: \(up.output.suffix(2000))")
        }
        let store = try await Store.open(stateDirectory: state)
        return LiveAnvil(state: state, offset: offset, environment: environment, up: up, store: store)
    }

    private init(state: URL, offset: Int, environment: [String: String], up: FleetTestProcess, store: Store) {
        self.state = state
        self.offset = offset
        self.environment = environment
        self.up = up
        self.store = store
    }

    /// Stops `anvil up` and removes the state directory (kept when `keep`, for a failed test).
    func stop(keep: Bool = false) async {
        await up.stop()
        if !keep { try? FileManager.default.removeItem(at: state) }
    }

    /// Runs the `anvil` CLI against this suite; throws with its output when it fails.
    @discardableResult
    func anvil(_ arguments: String...) async throws -> String {
        let result = try await FleetTestProcess.run(FleetTestProcess.builtProduct("anvil"), arguments, environment: environment, in: state)
        guard result.status == 0 else { throw LiveAnvilError("anvil \(arguments.joined(separator: " ")): \(result.output)") }
        return result.output
    }

    func servers() async throws -> [Server] {
        try await store.list(kind: ResourceKinds.server.kind).map(Server.init)
    }

    func server(_ name: String) async throws -> Server? {
        try await store.find(kind: ResourceKinds.server.kind, name: name).map(Server.init)
    }

    func bindings() async throws -> Int {
        try await store.list(kind: ResourceKinds.serverBinding.kind).count
    }

    /// The Server's events, oldest first.
    func events(_ server: String) async throws -> [AnvilStore.Event] {
        try await store.events(kind: ResourceKinds.server.kind, name: server)
    }

    /// One line of store counts for failure messages.
    func counts() async -> String {
        guard let servers = try? await servers() else { return "store unreadable" }
        let accepted = servers.filter(\.spec.accepted).count
        let clean = servers.filter(\.status.isClean).count
        let off = servers.filter { $0.status.power == .off }.count
        let inUse = servers.filter(\.status.inUse).count
        let pxeBooted = servers.filter { $0.status.condition(Server.conditionPXEBooted)?.status == "True" }.count
        let cleanOff = servers.filter(Self.isCleanOff).count
        return "store: servers \(servers.count) accepted \(accepted) clean \(clean) off \(off) inUse \(inUse) pxeBooted \(pxeBooted) clean+off \(cleanOff) bindings \((try? await bindings()) ?? -1)"
    }

    /// Clean, powered off, not allocated: where `anvil accept` and a release lead.
    static func isCleanOff(_ server: Server) -> Bool {
        server.status.isClean && server.status.power == .off && !server.status.inUse
    }

    /// Polls `condition` every 250 ms until it holds or `timeout` passes.
    func waitFor(_ timeout: Duration, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    /// A one-line description of a Server: state, conditions, last events.
    func describe(_ name: String) async -> String {
        guard let server = try? await server(name) else { return "\(name): no Server" }
        let conditions = (server.status.conditions ?? []).map { "\($0.type)=\($0.status)/\($0.reason ?? "")" }
        let events = ((try? await events(name)) ?? []).suffix(8).map { "\($0.reason)×\($0.count)" }
        return "\(name): accepted \(server.spec.accepted) clean \(server.status.isClean) power \(server.status.power.map { "\($0)" } ?? "nil") inUse \(server.status.inUse) conditions \(conditions) events \(events)"
    }
}

struct LiveAnvilError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
