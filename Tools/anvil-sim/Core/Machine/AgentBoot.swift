import AnvilAgent
import Synchronization

/// The agent environment booted: the real `AgentRunner` (docs/agent.md "Steps") against metadatad
/// through the real HTTP client, on a simulated system; then a reboot or power-off as
/// `AgentProgram` does.
struct AgentBoot {
    let machine: SimulatedMachine
    let http: MachineHTTPClient
    let wire: MachineNetworkIdentity
    let endpoint: String
    let arguments: [String: String]

    func run() async {
        let record = machine.record
        record.enter(.agent)
        let commandLine = KernelCommandLine(arguments.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        let life = AgentLife()
        let death: @Sendable () async -> Void = { [machine] in
            // The agent process is gone: no heartbeat, no mark-wiped, no reboot.
            machine.log("agent: died halfway through the wipe (fault agent-dies); idle until the next power event")
            record.enter(.agentDead)
            life.kill()
        }
        let api = CountingAgentAPIClient(
            inner: HTTPAgentAPIClient(endpoint: endpoint, token: commandLine.token, timeout: .seconds(10), client: http.client),
            record: record, onWiped: {})
        let system = SimulatedAgentSystem(
            identity: machine.identity, reportedUUID: wire.uuid, macs: wire.macs, bmc: machine.bmc, disk: machine.disk,
            wipeDuration: machine.timings.wipe,
            dieMidWipe: machine.faults.agentDiesMidWipe ? death : nil,
            onWipeStart: { record.enter(.wiping) })
        let runner = AgentRunner(
            api: api, system: system,
            log: { [machine] line in if !life.isDead { machine.log("agent: \(line)") } },
            retry: RetryPolicy(initialDelay: machine.timings.agentRetry, maximumDelay: .seconds(30), deadline: .seconds(300)))
        let task = Task { await runner.run() }
        life.started(task)
        let outcome = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        if life.isDead || Task.isCancelled { return }
        let timings = machine.timings
        switch outcome {
        case .done:
            await machine.finish(powerOff: commandLine.powerOffWhenDone, after: timings.agentDone, "agent: all steps done")
        case .notAccepted:
            await machine.finish(powerOff: commandLine.powerOffWhenDone, after: timings.agentNotDone, "agent: waiting for acceptance")
        case .failed(let reason):
            record.enter(.failed)
            await machine.finish(powerOff: commandLine.powerOffWhenDone, after: timings.agentNotDone, "agent: \(reason)")
        }
    }
}

/// The agent's task and whether it died (the agent-dies fault): a dead agent is cancelled and
/// says nothing more.
final class AgentLife: Sendable {
    private struct State {
        var dead = false
        var task: Task<AgentRunner.Outcome, Never>?
    }

    private let state = Mutex(State())

    var isDead: Bool { state.withLock { $0.dead } }

    func started(_ task: Task<AgentRunner.Outcome, Never>) { state.withLock { $0.task = task } }

    func kill() {
        let task = state.withLock { state in
            state.dead = true
            return state.task
        }
        task?.cancel()
    }
}
