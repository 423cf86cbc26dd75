import AnvilController
import AnvilResources
import Synchronization

/// What this process knows about ServerBindings: server → machine and machine → servers, plus
/// the servers a worker here is trying to bind right now. A hint only, never the lock: it is
/// loaded at each resync (``MetalMachineReconciler/allKeys()``; a reconciler that takes the lease
/// over starts with one, and fenced writes mean nothing its predecessor wrote lands later), kept
/// current by this process's own writes (a create whose outcome is unknown included, until
/// `recover` looks it up) and by deletions seen in the feed, and corrected whenever the store
/// answers `alreadyExists`. It lets an allocation skip bound servers without reading them, and find a
/// machine's binding without listing every binding. Synchronous (a mutex), so ``keys(for:)`` can
/// use it.
final class BindingIndex: Sendable {
    /// The machine a binding names.
    struct Owner: Sendable, Hashable {
        /// `namespace/name` of the MetalMachine.
        var machineKey: String
        var uid: String?
        /// The class the server was allocated from (nil: picked by serverRef).
        var className: String? = nil
    }

    private struct State {
        var byServer: [String: Owner] = [:]
        var byMachine: [String: Set<String>] = [:]
        /// Servers a worker in this process is trying to bind now.
        var reserved: Set<String> = []
        /// ServerClass name → machines waiting for one of its servers.
        var waiting: [String: Set<String>] = [:]
        /// While a load reads the store: what changed since it started (nil = the binding went).
        var touchedDuringLoad: [String: Owner?]? = nil
        var lastLoad: ContinuousClock.Instant? = nil
        /// Owners of bindings this process deleted, until the feed shows the deletion.
        var forgotten: [String: Owner] = [:]
    }

    private let state = Mutex(State())

    static func owner(of binding: ServerBinding) -> Owner {
        let ref = binding.spec.metalMachineRef
        return Owner(
            machineKey: ObjectKey.make(namespace: ref.namespace ?? "default", name: ref.name ?? ""), uid: ref.uid,
            className: binding.spec.serverClassRef?.name)
    }

    // MARK: loading

    /// Call before listing the bindings for ``finishLoad(_:)``: changes recorded in between win
    /// over the list, which may predate them.
    func beginLoad() {
        state.withLock { $0.touchedDuringLoad = [:] }
    }

    /// Replaces the index with `bindings`, then replays what this process recorded meanwhile;
    /// nil (the list failed) keeps the index as it is.
    func finishLoad(_ bindings: [ServerBinding]?) {
        state.withLock { state in
            guard let bindings else {
                state.touchedDuringLoad = nil
                return
            }
            let touched = state.touchedDuringLoad ?? [:]
            state.byServer = [:]
            state.byMachine = [:]
            state.touchedDuringLoad = nil
            for binding in bindings { Self.put(binding.metadata.name, Self.owner(of: binding), in: &state) }
            for (server, owner) in touched {
                Self.drop(server, in: &state)
                if let owner { Self.put(server, owner, in: &state) }
            }
            state.lastLoad = .now
        }
    }

    /// When the index was last loaded from the store.
    var lastLoad: ContinuousClock.Instant? { state.withLock { $0.lastLoad } }

    // MARK: updates

    /// A binding for `server` exists and names `owner`.
    func record(server: String, owner: Owner) {
        state.withLock { state in
            Self.drop(server, in: &state)
            Self.put(server, owner, in: &state)
            state.touchedDuringLoad?[server] = .some(owner)
        }
    }

    func record(_ binding: ServerBinding) {
        record(server: binding.metadata.name, owner: Self.owner(of: binding))
    }

    /// The binding for `server` is gone. Its owner is kept for ``takeForgotten(_:)``.
    func forget(server: String) {
        state.withLock { state in
            if let owner = state.byServer[server] {
                if state.forgotten.count >= 10_000 { state.forgotten.removeAll() }
                state.forgotten[server] = owner
            }
            Self.drop(server, in: &state)
            state.touchedDuringLoad?[server] = .some(nil)
        }
    }

    /// The owner of a binding of `server` forgotten since the last call (for the feed's deletion).
    func takeForgotten(_ server: String) -> Owner? {
        state.withLock { $0.forgotten.removeValue(forKey: server) }
    }

    // MARK: queries

    func owner(ofServer server: String) -> Owner? {
        state.withLock { $0.byServer[server] }
    }

    /// Servers whose binding names `machineKey`, ascending.
    func servers(ofMachine machineKey: String) -> [String] {
        state.withLock { ($0.byMachine[machineKey] ?? []).sorted() }
    }

    /// Claims `server` for one allocation attempt in this process: false if a binding is known
    /// for it or another worker here is trying it. ``release(_:)`` ends the claim.
    func reserve(_ server: String) -> Bool {
        state.withLock { state in
            guard state.byServer[server] == nil, !state.reserved.contains(server) else { return false }
            state.reserved.insert(server)
            return true
        }
    }

    func release(_ server: String) {
        _ = state.withLock { $0.reserved.remove(server) }
    }

    // MARK: machines waiting for a class

    func wait(_ machineKey: String, forClass className: String) {
        _ = state.withLock { $0.waiting[className, default: []].insert(machineKey) }
    }

    func stopWaiting(_ machineKey: String) {
        state.withLock { state in
            for className in Array(state.waiting.keys) {
                state.waiting[className]?.remove(machineKey)
                if state.waiting[className]?.isEmpty == true { state.waiting[className] = nil }
            }
        }
    }

    func waiting(forClass className: String) -> [String] {
        state.withLock { ($0.waiting[className] ?? []).sorted() }
    }

    // MARK: -

    private static func put(_ server: String, _ owner: Owner, in state: inout State) {
        state.byServer[server] = owner
        state.byMachine[owner.machineKey, default: []].insert(server)
    }

    private static func drop(_ server: String, in state: inout State) {
        guard let old = state.byServer.removeValue(forKey: server) else { return }
        state.byMachine[old.machineKey]?.remove(server)
        if state.byMachine[old.machineKey]?.isEmpty == true { state.byMachine[old.machineKey] = nil }
    }
}
