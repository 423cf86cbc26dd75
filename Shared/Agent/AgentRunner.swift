import AnvilResources
import Synchronization

/// The agent's run from inventory to the final reboot (docs/agent.md "Steps"). Every step logs
/// one line; API calls are retried by `retry`; a failed step never hangs the agent: it ends in a
/// reboot, and the reconciler or the operator takes it from there.
public struct AgentRunner: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Registered and did what it was told.
        case done
        /// Not accepted yet: reboot and register again.
        case notAccepted
        /// Something failed for good; the message says what.
        case failed(String)
    }

    let api: any AgentAPIClient
    let system: any AgentSystem
    let log: @Sendable (String) -> Void
    let retry: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void

    public init(
        api: any AgentAPIClient, system: any AgentSystem, log: @escaping @Sendable (String) -> Void, retry: RetryPolicy = RetryPolicy(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.api = api
        self.system = system
        self.log = log
        self.retry = retry
        self.sleep = sleep
    }

    public func run() async -> Outcome {
        let registration: Registration
        do {
            registration = try await system.registration()
        } catch {
            log("inventory failed: \(error)")
            return .failed("inventory failed: \(error)")
        }
        log("inventory: \(InventorySummary.line(registration))")
        let answer: RegisterAnswer
        do {
            answer = try await retry.run("register", log: log, sleep: sleep) { try await api.register(registration) }
        } catch {
            return .failed("register failed: \(error)")
        }
        let uuid = registration.uuid
        log("registered \(uuid): accepted=\(answer.accepted) wipe=\(answer.wipe)\(answer.wipe ? (answer.insecureWipe ? " (fast)" : " (full)") : "") setupBMC=\(answer.setupBMC)")
        let plan = AgentPlan(answer: answer)
        for step in plan.steps {
            switch step {
            case .reportAddresses:
                await reportAddresses(uuid)
            case .wipe(let mode):
                if let failure = await wipe(uuid, mode: mode, heartbeat: plan.heartbeatInterval) { return .failed(failure) }
            case .setupBMC:
                await setupBMC(uuid)
            }
        }
        if !answer.accepted {
            log("server \(uuid) is not accepted yet: accept it with `anvil accept \(uuid)`; rebooting to ask again")
            return .notAccepted
        }
        return .done
    }

    private func reportAddresses(_ uuid: String) async {
        let addresses = await system.addresses()
        log("addresses: \(addresses.isEmpty ? "none" : addresses.map(\.address).joined(separator: ", "))")
        do {
            try await retry.run("report addresses", log: log, sleep: sleep) { try await api.reportAddresses(uuid: uuid, addresses) }
        } catch {
            log("addresses not reported: \(error)")
        }
    }

    /// nil when the disks are wiped and the server marked clean; otherwise why not.
    private func wipe(_ uuid: String, mode: WipeMode, heartbeat interval: Duration) async -> String? {
        let targets = await system.wipeTargets()
        log("wipe (\(mode.rawValue)): \(targets.isEmpty ? "no disks" : targets.map { "\($0.devicePath) \(ByteCount.text($0.size))" }.joined(separator: ", "))")
        let progress = WipeProgress()
        // The console hears about progress every 10 s at most; the API at the heartbeat interval.
        let tick = min(interval, .seconds(10))
        let beats = Task {
            var sinceBeat = Duration.zero
            while !Task.isCancelled {
                try? await sleep(tick)
                if Task.isCancelled { break }
                let done = progress.fraction
                log("wipe: \(Int(done * 100))% done")
                sinceBeat += tick
                if sinceBeat >= interval {
                    sinceBeat = .zero
                    try? await api.heartbeat(uuid: uuid, progress: (done * 1000).rounded() / 10)
                }
            }
        }
        defer { beats.cancel() }
        do {
            let report = try await system.wipe(targets, mode: mode) { progress.fraction = $0 }
            for line in report { log("wipe: \(line)") }
        } catch {
            log("wipe failed: \(error); the server stays dirty and is wiped again on its next boot")
            return "wipe failed: \(error)"
        }
        beats.cancel()
        do {
            try await retry.run("mark wiped", log: log, sleep: sleep) { try await api.markWiped(uuid: uuid) }
            log("wipe: done, server marked clean")
            return nil
        } catch {
            return "mark wiped failed: \(error)"
        }
    }

    private func setupBMC(_ uuid: String) async {
        guard let report = await system.setupBMC() else {
            log("bmc: not set up (see above); the server keeps any BMC the operator configured")
            return
        }
        do {
            try await retry.run("report BMC", log: log, sleep: sleep) { try await api.reportBMC(uuid: uuid, report) }
            log("bmc: reported \(report.ip):\(report.port)\(report.user.map { " user \($0)" } ?? "")")
        } catch {
            log("bmc: not reported: \(error)")
        }
    }
}

/// The latest wipe progress, written by the wipers and read by the heartbeat task.
final class WipeProgress: Sendable {
    private let value = Mutex<Double>(0)

    var fraction: Double {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
