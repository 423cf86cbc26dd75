import AnvilDaemon
import AnvilResources
import AnvilStore
import Logging

/// What the MetalMachine controller tells operators: a log line and an event on the machine
/// (`anvil describe mm <name>`), through the daemon's batched event path.
struct MachineEvents: Sendable {
    static let source = "reconciler/metal-machine"

    let events: EventBatchRecorder
    let logger: Logger

    func allocated(_ machine: MetalMachine, server: String, className: String?) {
        let via = className.map { "serverclass \($0)" } ?? "serverRef"
        logger.info("server allocated", metadata: ["machine": "\(MachineBindings.key(of: machine))", "server": "\(server)", "via": "\(via)"])
        record(machine, .normal, "Allocated", "Server \(server) allocated via \(via)")
    }

    func waiting(_ machine: MetalMachine, reason: String, message: String) {
        logger.debug("machine waiting for a server", metadata: ["machine": "\(MachineBindings.key(of: machine))", "reason": "\(reason)"])
        record(machine, .warning, reason, message)
    }

    func released(_ machine: MetalMachine, server: String) {
        logger.info("server released", metadata: ["machine": "\(MachineBindings.key(of: machine))", "server": "\(server)"])
        record(machine, .normal, "Released", "Server \(server) released")
    }

    private func record(_ machine: MetalMachine, _ type: EventType, _ reason: String, _ message: String) {
        events.record(.init(
            involved: InvolvedObject(
                kind: MetalMachine.resourceKind.kind, namespace: machine.metadata.namespace ?? "default",
                name: machine.metadata.name, uid: machine.metadata.uid),
            type: type, reason: reason, message: message, source: Self.source))
    }
}
