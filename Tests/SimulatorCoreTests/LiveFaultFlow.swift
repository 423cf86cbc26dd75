import AnvilResources
import AnvilStore
import Foundation
import SimulatorCore
import Testing

/// The steps every fault test shares: a small fleet on a real `anvil up`, discovered and
/// accepted; then the healthy servers must still reach clean and off while the faulty one shows
/// what Anvil says about it (a condition, a Warning event).
struct LiveFaultFlow {
    let anvil: LiveAnvil
    let fleet: LiveFleet

    /// Starts the fleet; waits until `servers` Servers exist with their BMC, then `anvil accept --all`.
    func discoverAndAccept(servers: Int) async throws {
        fleet.start()
        let discovered = try await anvil.waitFor(.seconds(90)) {
            let found = try await anvil.servers()
            return found.count == servers && found.allSatisfy { $0.spec.bmc != nil }
        }
        let counts = await anvil.counts()
        try #require(discovered, "\(servers) Servers discovered with their BMC\n\(counts)\n\(fleet.status())")
        try await anvil.anvil("accept", "--all")
    }

    /// Every healthy machine's Server clean, off and free within `timeout`.
    func healthyReachCleanOff(_ timeout: Duration = .seconds(90)) async throws -> Bool {
        let names = Set(fleet.healthyNames)
        let reached = try await anvil.waitFor(timeout) {
            try await anvil.servers().filter { names.contains($0.metadata.name) && LiveAnvil.isCleanOff($0) }.count == names.count
        }
        if !reached {
            let counts = await anvil.counts()
            Issue.record("healthy servers not clean and off in \(timeout)\n\(counts)\n\(fleet.status())")
        }
        return reached
    }

    /// Waits until the Server has a condition matching `match`; returns it.
    func condition(_ server: String, _ timeout: Duration, _ match: @escaping @Sendable (Condition) -> Bool) async throws -> Condition? {
        _ = try await anvil.waitFor(timeout) {
            (try await anvil.server(server)?.status.conditions ?? []).contains(where: match)
        }
        return try await anvil.server(server)?.status.conditions?.first(where: match)
    }

    /// Waits until the Server has an event with `reason` (and `type`); returns it.
    func event(_ server: String, reason: String, type: EventType = .warning, _ timeout: Duration) async throws -> AnvilStore.Event? {
        _ = try await anvil.waitFor(timeout) { try await anvil.events(server).contains { $0.reason == reason && $0.type == type } }
        return try await anvil.events(server).last { $0.reason == reason && $0.type == type }
    }

    /// Starts `anvil up` with `environment`, builds the fleet, runs `body` (true: passed) and
    /// always stops both; the state directory is kept when the test failed (its up.log helps).
    static func run(
        _ environment: [String: String] = [:], fleet: (LiveAnvil) async throws -> LiveFleet, _ body: (LiveFaultFlow) async throws -> Bool
    ) async throws {
        let anvil = try await LiveAnvil.start(environment)
        let flow: LiveFaultFlow
        do { flow = LiveFaultFlow(anvil: anvil, fleet: try await fleet(anvil)) } catch {
            await anvil.stop(keep: true)
            throw error
        }
        let passed: Bool
        do { passed = try await body(flow) } catch {
            await flow.fleet.stop()
            await anvil.stop(keep: true)
            throw error
        }
        await flow.fleet.stop()
        await anvil.stop(keep: !passed)
        if !passed { print("state kept in \(anvil.state.path)") }
    }
}
