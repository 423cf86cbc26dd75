import AnvilStore

/// One controller's logic (docs/architecture.md "How to add… a controller"): which keys a store
/// change concerns, every key (for the resync), and how to bring one key to its desired state.
/// ``ControllerRunner`` calls it; it never reconciles one key twice at once.
public protocol Reconciler: Sendable {
    /// The controller's name, in logs and events.
    var name: String { get }
    /// The keys a change concerns (a Server change may concern its binding's machine too).
    func keys(for change: Change) -> [String]
    /// Every key that exists now.
    func allKeys() async throws -> [String]
    /// Brings `key` to its desired state. Idempotent: it may run again for the same state.
    /// Throwing retries the key with backoff.
    func reconcile(_ key: String) async throws -> ReconcileResult
}

/// What a reconcile asks for next.
public enum ReconcileResult: Sendable, Equatable {
    /// Nothing until the store changes.
    case done
    /// Look again after this long even if nothing changes (a power recheck, a timeout).
    case requeue(after: Duration)
    /// It failed (a BMC did not answer) and is handled (a condition, an event): look again after
    /// this long. Like a throw, it puts the key in the failing lane (``WorkQueue``) until a
    /// reconcile of it succeeds; unlike a throw, the delay is the reconciler's own.
    case retry(after: Duration)
}

/// `namespace/name` for namespaced objects, `name` for cluster-scoped ones.
public enum ObjectKey {
    public static func make(namespace: String, name: String) -> String {
        namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    public static func split(_ key: String) -> (namespace: String, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return ("", key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
