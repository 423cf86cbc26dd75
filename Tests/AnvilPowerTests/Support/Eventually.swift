import AnvilPower

/// Polls `condition` until it holds or `seconds` pass; returns whether it held. Generous
/// deadlines: peers apply power changes late (sushy's fake driver: 1–11 s) and this machine is shared.
func eventually(
    within seconds: Int = 90, every interval: Duration = .milliseconds(500),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(seconds)
    while true {
        if try await condition() { return true }
        if clock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}

/// Runs `body` with `backend`, then shuts the backend down whatever happened (an HTTP client
/// left running traps when it is freed).
func using<B: PowerBackend, T>(_ backend: B, _ body: (B) async throws -> T) async throws -> T {
    do {
        let result = try await body(backend)
        await backend.shutdown()
        return result
    } catch {
        await backend.shutdown()
        throw error
    }
}

/// The `PowerError` `body` throws, or nil when it throws none.
func powerError(_ body: () async throws(PowerError) -> Void) async -> PowerError? {
    do {
        try await body()
        return nil
    } catch {
        return error
    }
}
