import AnvilPower

/// One command at a time per BMC, in arrival order, inside the global limit: what the IPMI
/// client does for itself, given to the HTTP back-ends (a BMC's web server freezes under bursts
/// as easily as its IPMI stack).
struct SerializedPowerBackend: PowerBackend {
    let base: any PowerBackend
    let gate: PowerCommandGate

    init(_ base: any PowerBackend, limiter: AsyncFIFOSemaphore) {
        self.base = base
        gate = PowerCommandGate(limiter: limiter)
    }

    func powerState() async throws(PowerError) -> Bool {
        try await serialized { try await base.powerState() }
    }

    func power(_ action: PowerAction) async throws(PowerError) {
        try await serialized { try await base.power(action) }
    }

    func setBootDevice(_ request: BootDeviceRequest) async throws(PowerError) {
        try await serialized { try await base.setBootDevice(request) }
    }

    func info() async throws(PowerError) -> [String: String] {
        try await serialized { try await base.info() }
    }

    func shutdown() async {
        await base.shutdown()
    }

    private func serialized<T: Sendable>(_ body: @Sendable () async throws -> T) async throws(PowerError) -> T {
        try await gate.run("command", body)
    }
}
