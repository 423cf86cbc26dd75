/// What the agent does after registering, decided from the register answer alone (Sidero's agent,
/// docs/agent.md "Steps"): addresses always; a wipe only for accepted servers; a BMC set-up when
/// metadatad asks (accepted servers, or any with `--bmc-setup-at discovery`); then a reboot — the
/// loop that brings an unaccepted server back until an operator accepts it.
public struct AgentPlan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case reportAddresses
        case wipe(WipeMode)
        case setupBMC
    }

    public var steps: [Step]
    /// Heartbeats during a wipe keep the reconciler's reboot timeout from firing.
    public var heartbeatInterval: Duration

    public init(answer: RegisterAnswer) {
        var steps: [Step] = [.reportAddresses]
        if answer.accepted && answer.wipe { steps.append(.wipe(answer.insecureWipe ? .fast : .full)) }
        // After the wipe, as Sidero does (a failed BMC set-up must not keep a server dirty).
        if answer.setupBMC { steps.append(.setupBMC) }
        self.steps = steps
        let third = max(0.01, answer.rebootTimeoutSeconds / 3)
        heartbeatInterval = .milliseconds(Int64((third * 1000).rounded()))
    }
}
