import AnvilAgent
import AnvilResources

/// The real agent API client, counted and watched: each call is an HTTP call of the machine, and
/// a successful register or mark-wiped is a milestone of its record (docs/simulator.md "Phases").
struct CountingAgentAPIClient: AgentAPIClient {
    let inner: HTTPAgentAPIClient
    let record: MachineRecord
    let onWiped: @Sendable () -> Void

    func register(_ registration: Registration) async throws -> RegisterAnswer {
        let answer = try await counted { try await inner.register(registration) }
        record.reach(.registered)
        return answer
    }

    func reportAddresses(uuid: String, _ addresses: [NodeAddress]) async throws {
        try await counted { try await inner.reportAddresses(uuid: uuid, addresses) }
    }

    func heartbeat(uuid: String, progress: Double?) async throws {
        try await counted { try await inner.heartbeat(uuid: uuid, progress: progress) }
    }

    func markWiped(uuid: String) async throws {
        try await counted { try await inner.markWiped(uuid: uuid) }
        record.enter(.wiped)
        record.reach(.wiped)
        onWiped()
    }

    func reportBMC(uuid: String, _ report: BMCReport) async throws {
        try await counted { try await inner.reportBMC(uuid: uuid, report) }
    }

    private func counted<T>(_ call: () async throws -> T) async throws -> T {
        do {
            let value = try await call()
            record.countHTTP(failed: false)
            return value
        } catch {
            // A call cut short by a power event (the boot was cancelled) is no failure of Anvil's.
            record.countHTTP(failed: !Task.isCancelled)
            throw error
        }
    }
}
