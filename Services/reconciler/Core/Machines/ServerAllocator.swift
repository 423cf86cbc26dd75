import AnvilResources
import AnvilStore
import Logging

/// Picks a server of a class for a machine and creates its ServerBinding (docs/sidero-controllers.md
/// §5.3): the first server of `serversAvailable` in ascending UUID order that is clean,
/// not in use and (still) accepted and not cordoned. Creating the binding, named the server's
/// UUID, is the lock: `alreadyExists` means another machine got it first, so the walk goes on —
/// two reconcilers, in one process or several, never bind one server twice. The
/// ``BindingIndex`` lets the walk skip servers known to be bound, and keeps this process's
/// workers off the server another one is trying.
struct ServerAllocator: Sendable {
    enum Outcome: Sendable {
        case allocated(ServerBinding)
        /// Every member is bound, in use, dirty or gone.
        case noneFree(members: Int)
        case classNotFound
    }

    let store: Store
    let index: BindingIndex
    let classes: ServerClassCandidates
    let logger: Logger

    func allocate(for machine: MetalMachine, classRef: ObjectReference, className: String) async throws -> Outcome {
        guard let servers = try await classes.read(className) else { return .classNotFound }
        if let binding = try await walk(servers, for: machine, classRef: classRef) { return .allocated(binding) }
        // The cached list may be a second old, or the index may miss a deletion: look again
        // with the class read fresh before saying no.
        guard let fresh = try await classes.read(className, fresh: true) else { return .classNotFound }
        if fresh != servers, let binding = try await walk(fresh, for: machine, classRef: classRef) {
            return .allocated(binding)
        }
        return .noneFree(members: fresh.count)
    }

    private func walk(_ servers: [String], for machine: MetalMachine, classRef: ObjectReference) async throws -> ServerBinding? {
        for uuid in servers {
            guard index.reserve(uuid) else { continue }
            defer { index.release(uuid) }
            guard try await isFree(uuid) else { continue }
            let binding = MachineBindings.binding(server: uuid, for: machine, serverClassRef: classRef)
            do {
                let created = try ServerBinding(try await store.create(binding.resource))
                index.record(created)
                return created
            } catch StoreError.alreadyExists {
                // Someone bound it since the index last heard: learn whose, and go on.
                if let existing = try await store.find(ServerBinding.self, name: uuid) {
                    index.record(existing)
                    // Another reconciler bound it for this very machine: that is our binding.
                    if MachineBindings.belongs(existing, to: machine) { return existing }
                }
                logger.debug("server taken meanwhile", metadata: ["server": "\(uuid)"])
            } catch {
                // The outcome may be unknown (the database went away at commit): note the binding
                // as this machine's, so the next reconcile looks it up first (`recover`) instead
                // of binding a second server once this one no longer looks free.
                index.record(binding)
                throw error
            }
        }
        return nil
    }

    /// Clean, not in use, accepted and not cordoned, not being deleted. The class lists members
    /// whatever their state; cleanliness is checked at allocation time (Sidero #148).
    /// Beyond Sidero: not a server whose BMC last failed (`BMCReady` False: unreachable, wrong
    /// credentials) or whose lifecycle stalled: its machine could never be powered on, and would
    /// wait for it while a healthy server sat idle (docs/simulator.md "Benchmark": 10 % bad BMCs
    /// slowed the healthy servers' installs fourfold). A BMC command that succeeds again (the
    /// reconciler's, or `anvil power status UUID` once fixed) makes it eligible again.
    private func isFree(_ uuid: String) async throws -> Bool {
        guard let server = try await store.find(Server.self, name: uuid) else { return false }
        return server.status.isClean && !server.status.inUse && server.spec.accepted && server.spec.cordoned != true
            && server.metadata.deletionTimestamp == nil
            && !(Self.hasPowerBackend(server) && server.status.condition(Self.bmcReady)?.status == "False")
            && server.status.condition(Server.conditionStalled)?.status != "True"
    }

    /// A server with no BMC at all is powered by hand (or PXE-loops, as in Sidero): still eligible.
    static func hasPowerBackend(_ server: Server) -> Bool {
        server.spec.bmc != nil || server.spec.redfish != nil || server.spec.managementApi != nil
    }

    /// bmcd's condition (Services/bmcd/Core/ServerPowerStatusWriter.swift).
    static let bmcReady = Server.conditionBMCReady
}
