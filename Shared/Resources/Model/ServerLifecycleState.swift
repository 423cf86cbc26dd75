extension Server {
    /// Anvil's condition: the lifecycle stopped after the same step failed too often (the
    /// reconciler's --lifecycle-attempts); `anvil accept` retries.
    public static let conditionStalled = "Stalled"
    /// Anvil's condition: how many times in a row (message) the current step (reason) was tried.
    public static let conditionLifecycleAttempts = "LifecycleAttempts"


    /// Where the server is in its lifecycle, from its spec and status (README "reconciler: the
    /// server lifecycle"): discovered, wiping, available, allocated, installing, booted, or stalled.
    public var lifecycleState: String {
        guard spec.accepted else { return "discovered" }
        if status.condition(Self.conditionStalled)?.status == "True" { return "stalled" }
        if status.inUse {
            if status.condition(Self.conditionPXEBooted)?.status == "True" { return "booted" }
            return status.power == .on ? "installing" : "allocated"
        }
        return status.isClean ? "available" : "wiping"
    }
}

extension ServerStatus {
    /// Forgets a stall and the attempts behind it (a step succeeded, or an operator retried).
    public mutating func clearLifecycleAttempts() {
        conditions = conditions?.filter { $0.type != Server.conditionStalled && $0.type != Server.conditionLifecycleAttempts }
    }
}
